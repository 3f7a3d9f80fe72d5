"""pandera schemas of the generic curated files: types, allowed values, plausible ranges, keys.

One ``DataFrameModel`` per file every review has (papers, works, references); the schemas of a
review's own tables are built from its ``review.toml`` (:func:`curate.review.build_schema`).
``strict`` makes an unknown column a failure
and a missing one too; ``coerce`` reads CSV text into the declared types (a cell that cannot
be read as its type is a failure of that row). Keys that must be unique are named in
``Config.unique``. Foreign keys between files are checked in :mod:`curate.validate`, which
knows every file at once.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from curate.schemas.common import THIS_YEAR, Bibliographic

PAPER_ID = r"^[a-z0-9]+$"


class Papers(pa.DataFrameModel):
    """curated/papers.csv: one row per extracted paper."""

    paper_id: Series[str] = pa.Field(unique=True, str_matches=PAPER_ID)
    title: Series[str] = pa.Field(nullable=True)
    first_author: Series[str] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(ge=1900, le=THIS_YEAR, nullable=True)
    doi: Series[str] = pa.Field(nullable=True, str_matches=r"^10\.\d{4,9}/\S+$")
    source: Series[str]
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    pages: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = True


class Works(pa.DataFrameModel):
    """curated/works.csv: one row per work cited by any paper."""

    work_id: Series[str] = pa.Field(unique=True, str_matches=r"^w_[0-9a-f]+$")
    first_author: Series[str] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(ge=1800, le=THIS_YEAR, nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    venue: Series[str] = pa.Field(nullable=True)
    volume: Series[str] = pa.Field(nullable=True)
    pages: Series[str] = pa.Field(nullable=True)
    doi: Series[str] = pa.Field(nullable=True)
    n_papers: Series[int] = pa.Field(ge=1)
    n_entries: Series[int] = pa.Field(ge=1)
    variants: Series[str]

    class Config:
        strict = True
        coerce = True


class References(Bibliographic):
    """curated/references.csv: every reference entry of every paper, with its work."""

    paper_id: Series[str] = pa.Field(str_matches=PAPER_ID)
    index: Series[int] = pa.Field(ge=1)
    work_id: Series[str] = pa.Field(str_matches=r"^w_[0-9a-f]+$")
    match_score: Series[float] = pa.Field(ge=0, le=1)
    matched_by: Series[str] = pa.Field(isin=["alone", "automatic", "steward"])

    class Config:
        unique = ["paper_id", "index"]


#: The schema of each generic curated file, by file name.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "papers.csv": Papers,
    "works.csv": Works,
    "references.csv": References,
}
