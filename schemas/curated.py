"""pandera schemas of the curated files: types, allowed values, plausible ranges, keys.

One ``DataFrameModel`` per file in ``curated/``. ``strict`` makes an unknown column a failure
and a missing one too; ``coerce`` reads CSV text into the declared types (a cell that cannot
be read as its type is a failure of that row). Keys that must be unique are named in
``Config.unique``. Foreign keys between files are checked in :mod:`curate.validate`, which
knows every file at once.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.common import THIS_YEAR, Bibliographic

PAPER_ID = r"^[a-z0-9]+$"
SEX = ["M", "F"]
DIABETES_TYPES = ["T1DM", "T2DM"]


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


class _FromTable(pa.DataFrameModel):
    """Provenance every row of a table-derived curated file carries."""

    paper_id: Series[str] = pa.Field(str_matches=PAPER_ID)
    table: Series[str]
    page: Series[str]
    row: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = True


class Studies(_FromTable):
    """curated/studies.csv: one row per study arm of an included-studies table."""

    label: Series[str]
    work_id: Series[str] = pa.Field(nullable=True, str_matches=r"^w_[0-9a-f]+$")
    arm: Series[int] = pa.Field(ge=1)
    country: Series[str] = pa.Field(nullable=True)
    diabetes_type: Series[str] = pa.Field(isin=DIABETES_TYPES, nullable=True)
    n_cell_therapy: Series[pd.Int64Dtype] = pa.Field(ge=1, le=100_000, nullable=True)
    n_control: Series[pd.Int64Dtype] = pa.Field(ge=1, le=100_000, nullable=True)
    male_pct_cell_therapy: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    male_pct_control: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    mean_age_cell_therapy: Series[float] = pa.Field(ge=0, le=120, nullable=True)
    mean_age_cell_therapy_printed: Series[str] = pa.Field(nullable=True)
    mean_age_control: Series[float] = pa.Field(ge=0, le=120, nullable=True)
    mean_age_control_printed: Series[str] = pa.Field(nullable=True)
    dm_history_printed: Series[str] = pa.Field(nullable=True)
    dm_history_months: Series[float] = pa.Field(ge=0, le=1200, nullable=True)
    dm_history_qualifier: Series[str] = pa.Field(isin=["<", ">", "≤", "≥", "~", "<=", ">="], nullable=True)
    dm_history_control_months: Series[float] = pa.Field(ge=0, le=1200, nullable=True)
    cell_type: Series[str] = pa.Field(nullable=True)
    dose_printed: Series[str] = pa.Field(nullable=True)
    dose_value: Series[float] = pa.Field(gt=0, nullable=True)
    dose_basis: Series[str] = pa.Field(isin=["per_kg", "absolute"], nullable=True)
    route: Series[str] = pa.Field(nullable=True)
    follow_up_printed: Series[str] = pa.Field(nullable=True)
    follow_up_months: Series[float] = pa.Field(gt=0, le=600, nullable=True)

    class Config:
        unique = ["paper_id", "table", "row"]


class Patients(_FromTable):
    """curated/patients.csv: one row per patient of a patient-level table."""

    sex: Series[str] = pa.Field(isin=SEX)
    age: Series[pd.Int64Dtype] = pa.Field(ge=0, le=120, nullable=True)
    dose_million_cells: Series[float] = pa.Field(gt=0, nullable=True)
    hba1c_before: Series[float] = pa.Field(ge=3, le=20, nullable=True)
    hba1c_before_printed: Series[str] = pa.Field(nullable=True)
    hba1c_after: Series[float] = pa.Field(ge=3, le=20, nullable=True)
    hba1c_after_printed: Series[str] = pa.Field(nullable=True)
    months_observed: Series[float] = pa.Field(ge=0, le=600, nullable=True)

    class Config:
        unique = ["paper_id", "table", "row"]


class CaseSeries(_FromTable):
    """curated/case_series.csv: one row per patient and visit of a case series."""

    patient: Series[str]
    age: Series[pd.Int64Dtype] = pa.Field(ge=0, le=120, nullable=True)
    sex: Series[str] = pa.Field(isin=SEX, nullable=True)
    visit: Series[int] = pa.Field(ge=1)
    hba1c_percent: Series[float] = pa.Field(ge=3, le=20, nullable=True)
    hba1c_percent_printed: Series[str] = pa.Field(nullable=True)
    glucose_mg_dl: Series[float] = pa.Field(ge=20, le=2000, nullable=True)
    glucose_mg_dl_printed: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["paper_id", "patient", "visit"]


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


#: The schema of each curated file, by file name.
SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "papers.csv": Papers,
    "studies.csv": Studies,
    "patients.csv": Patients,
    "case_series.csv": CaseSeries,
    "works.csv": Works,
    "references.csv": References,
}
