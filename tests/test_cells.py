"""Cell parsers: values with what was printed kept."""

from __future__ import annotations

import pytest

from curate.cells import CellError, count_group, dose, duration_months, number, pair, sex


def test_number_keeps_printed_precision_and_qualifier() -> None:
    n = number("7.50")
    assert n is not None and (n.value, n.printed, n.decimals) == (7.5, "7.50", 2)
    q = number("<12 m")
    assert q is not None and (q.value, q.qualifier, q.unit) == (12.0, "<", "m")
    assert number("NA") is None and number("") is None


def test_pair_shares_a_trailing_unit() -> None:
    a, b = pair("8.95 /8.3 y")
    assert a is not None and b is not None
    assert (a.value, a.unit, b.value, b.unit) == (8.95, "y", 8.3, "y")
    assert pair("63%")[1] is None


def test_count_group() -> None:
    assert count_group("8/10(T1DM)") == {"n": [8, 10], "group": "T1DM"}
    assert count_group("65(T1DM)") == {"n": [65, None], "group": "T1DM"}


@pytest.mark.parametrize(
    "printed, months",
    [("12 m", 12.0), ("12 w", 2.7598), ("14.5 y", 174.0), ("10.1y", 121.2), ("<3 w", 0.6899)],
)
def test_duration_in_months(printed: str, months: float) -> None:
    result = duration_months(printed)
    assert result is not None
    assert result["arms"][0]["months"] == pytest.approx(months, abs=1e-3)


def test_dose_basis() -> None:
    assert dose("5.8 × 10^6 /kg") == {"value": 5.8e6, "basis": "per_kg", "printed": "5.8 × 10^6"}
    assert dose("6.1 × 10^7") == {"value": 6.1e7, "basis": "absolute", "printed": "6.1 × 10^7"}
    assert dose("NA") is None


def test_sex_and_errors() -> None:
    assert [sex(s) for s in ("Male", "F", "female")] == ["M", "F", "F"]
    with pytest.raises(CellError):
        sex("X")
    with pytest.raises(CellError):
        duration_months("New onset")
