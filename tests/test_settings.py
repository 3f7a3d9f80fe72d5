"""Extraction settings are checked where they are made."""

from __future__ import annotations

import pytest

from curate.extract.settings import ExtractSettings


@pytest.mark.parametrize("bad", [{"peers": ("tabula",)}, {"min_rule_length": 0}, {"min_cols": 1}, {"min_gutter_em": 9}])
def test_bad_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        ExtractSettings(**bad)


def test_settings_are_recorded_as_json() -> None:
    import json

    assert json.loads(json.dumps(ExtractSettings().as_dict()))["peers"][0] == "camelot-lattice"
