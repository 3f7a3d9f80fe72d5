"""pandera schemas of the files ``curate extract`` writes in ``raw/<paper_id>/``.

Tables (``tables/table_<n>.csv``) are as printed and have no fixed columns; their metadata
(``tables.json``) and the manifest are JSON and are checked in tests. The three row files are
checked here: the reference list, the citations and the claims.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from curate.schemas.common import Bibliographic

BOX = r"^\[.*\]$"


class RawReferences(Bibliographic):
    """raw/<paper>/references.csv: one row per reference entry, in printed order."""

    index: Series[int] = pa.Field(ge=1, unique=True)
    raw: Series[str]
    pages_in_pdf: Series[str] = pa.Field(str_matches=BOX)
    bbox: Series[str] = pa.Field(str_matches=BOX)
    confidence: Series[float] = pa.Field(ge=0, le=1)


class RawCitations(pa.DataFrameModel):
    """raw/<paper>/citations.csv: one row per citation marker (or per number of a range)."""

    index: Series[int] = pa.Field(ge=1, unique=True)
    page: Series[int] = pa.Field(ge=1)
    bbox: Series[str] = pa.Field(str_matches=BOX)
    where: Series[str] = pa.Field(str_matches=r"^(body|table \d+)$")
    text: Series[str]
    kind: Series[str] = pa.Field(isin=["numeric", "author-year"])
    label: Series[str] = pa.Field(nullable=True)
    author: Series[str] = pa.Field(nullable=True)
    year: Series[str] = pa.Field(nullable=True, str_matches=r"^\d{4}[a-z]?$")
    reference: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    status: Series[str] = pa.Field(isin=["resolved", "ambiguous", "unresolved"])
    candidate: Series[pd.Int64Dtype] = pa.Field(ge=1, nullable=True)
    score: Series[float] = pa.Field(ge=0, le=1)

    class Config:
        strict = True
        coerce = True


class RawClaims(pa.DataFrameModel):
    """raw/<paper>/claims.csv: one row per checkable number reported in the text."""

    claim_id: Series[str] = pa.Field(unique=True, str_matches=r"^c\d{2,}-[a-z_]+-[0-9a-f]{6}-\d+$")
    index: Series[int] = pa.Field(ge=1, unique=True)
    page: Series[int] = pa.Field(ge=1)
    bbox: Series[str] = pa.Field(str_matches=BOX)
    kind: Series[str] = pa.Field(isin=["count", "split", "mean", "median", "range", "iqr", "proportion", "share", "percent", "effect", "comparison", "relative", "percents", "parts", "p_value", "correlation", "group", "dose", "duration", "timepoint", "category", "fold", "measure", "per", "score", "points"])
    subject: Series[str] = pa.Field(nullable=True)
    values: Series[str] = pa.Field(str_matches=r"^\{.*\}$")
    span: Series[str]
    context: Series[str] = pa.Field(nullable=True)
    sentence: Series[int] = pa.Field(ge=1)
    refs: Series[str] = pa.Field(nullable=True, str_matches=r"^\d+(;\d+)*$")

    class Config:
        strict = True
        coerce = True


#: The schema of each row file in a paper's raw folder.
RAW_SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "references.csv": RawReferences,
    "citations.csv": RawCitations,
    "claims.csv": RawClaims,
}
