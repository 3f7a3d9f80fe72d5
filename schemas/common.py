"""Schema pieces shared by the raw and curated schemas."""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

THIS_YEAR = _dt.date.today().year


class Bibliographic(pa.DataFrameModel):
    """The parsed fields of a reference entry, wherever entries are stored."""

    label: Series[str] = pa.Field(nullable=True)
    authors: Series[str] = pa.Field(nullable=True)
    first_author: Series[str] = pa.Field(nullable=True)
    year: Series[pd.Int64Dtype] = pa.Field(ge=1800, le=THIS_YEAR, nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    venue: Series[str] = pa.Field(nullable=True)
    volume: Series[str] = pa.Field(nullable=True)
    issue: Series[str] = pa.Field(nullable=True)
    pages: Series[str] = pa.Field(nullable=True)
    doi: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
