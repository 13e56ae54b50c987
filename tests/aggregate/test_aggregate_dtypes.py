"""Frames from the warehouse may carry pandas' nullable dtypes: the tables must not change."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from council.catalog import load_catalog
from tasks.aggregate import build_tables
from tests.aggregate.pack_inputs_builder import make_inputs

CATALOG = load_catalog()
FRAMES = ("submissions", "kpi", "projects", "budget", "pilots", "narrative")


@pytest.mark.parametrize("table", ["kpi_by_area", "kpi_totals", "headline", "completeness"])
def test_nullable_dtypes_give_the_same_tables(table: str) -> None:
    plain = make_inputs()
    nullable = replace(plain, **{name: getattr(plain, name).convert_dtypes() for name in FRAMES})
    expected, got = getattr(build_tables(plain, CATALOG), table), getattr(build_tables(nullable, CATALOG), table)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
