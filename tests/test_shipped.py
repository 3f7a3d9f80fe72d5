"""The dataset the repo ships (raw/ and curated/) is current, reproducible and valid."""

from __future__ import annotations

import json
from pathlib import Path

from curate.reconcile import reconcile
from curate.validate import validate
from tests.conftest import REVIEW_DIR, ROOT

RAW = ROOT / "raw"
CURATED = ROOT / "curated"


def _comparable(folder: Path) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if path.name == "manifest.json":
                data = json.loads(text)
                data.pop("extracted_at", None)
                out[str(path.relative_to(folder))] = data
            else:
                out[str(path.relative_to(folder))] = text
    return out


def test_shipped_raw_is_what_extraction_gives_today(extracted_papers: Path) -> None:
    for paper in sorted(p.name for p in RAW.iterdir() if p.is_dir()):
        assert _comparable(RAW / paper) == _comparable(extracted_papers / paper), f"raw/{paper} is stale: re-run curate extract"


def test_shipped_curated_is_reproduced_from_shipped_raw(tmp_path: Path) -> None:
    reconcile(RAW, tmp_path, REVIEW_DIR / "mappings")
    for made in tmp_path.glob("*.csv"):
        assert (CURATED / made.name).read_text() == made.read_text(), f"curated/{made.name} is stale: re-run curate reconcile"


def test_shipped_curated_validates_clean() -> None:
    assert [f.as_dict() for f in validate(CURATED) if f.severity == "error"] == []


def test_shipped_raw_files_follow_their_schemas() -> None:
    import pandas as pd

    from curate.schemas.raw import RAW_SCHEMAS

    for paper in sorted(p for p in RAW.iterdir() if p.is_dir()):
        for name, schema in RAW_SCHEMAS.items():
            frame = pd.read_csv(paper / name, dtype=str, keep_default_na=False).replace("", pd.NA)
            schema.validate(frame, lazy=True)
