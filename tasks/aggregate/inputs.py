"""What a pack is built from: one frozen bundle of frames read from the warehouse in one go."""

from __future__ import annotations

import pandas as pd

from council.catalog import Catalog
from council.pack_inputs import (  # noqa: F401 - the stage's names for the contract types
    ACCEPTED_STATUSES,
    ALL_AREAS,
    KEY_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_STATUSES,
    PackInputs,
)


def sheet_columns(catalog: Catalog, sheet: str, with_period: bool = False) -> tuple[str, ...]:
    """Column names of an input frame for `sheet`: keys (and period) plus the schema's field codes."""
    prefix = ("period",) if with_period else ()
    return (*prefix, *KEY_COLUMNS, *catalog.sheets[sheet].codes)


def empty_sheet_frame(catalog: Catalog, sheet: str, with_period: bool = False) -> pd.DataFrame:
    """A zero-row frame with the columns of `sheet`, for a period where nothing was reported."""
    return pd.DataFrame(columns=list(sheet_columns(catalog, sheet, with_period)))
