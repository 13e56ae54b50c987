"""Completeness: every registered centre listed, counts for the summary line, all three languages."""

from __future__ import annotations

import pandas as pd

from council.catalog import LANGUAGES, load_catalog
from tasks.aggregate import completeness, completeness_counts, completeness_summary
from tests.aggregate.pack_inputs_builder import make_inputs

CATALOG = load_catalog()


def test_every_registered_centre_has_a_row_in_registry_order() -> None:
    table = completeness(make_inputs(), CATALOG)
    assert table["centre"].tolist() == list(CATALOG.centres)
    statuses = table.set_index("centre")["status"]
    assert statuses[["ENERGY", "MACH", "CHEM"]].eq("missing").all()
    assert statuses["MINMET"] == "held"
    assert table.set_index("centre").loc["MACH", "version"] == 0


def test_counts_behind_the_summary_line() -> None:
    counts = completeness_counts(completeness(make_inputs(), CATALOG))
    expected = {"expected": 8, "submitted": 5, "on_time": 3, "late": 2, "rejected": 1, "held": 1, "missing": 3}
    assert {k: counts[k] for k in expected} == expected
    assert counts["accepted"] == 2 and counts["accepted_with_warnings"] == 1 and counts["corrections"] == 1


def test_summary_line_exists_in_every_language() -> None:
    table = completeness(make_inputs(), CATALOG)
    lines = {lang: completeness_summary(table, CATALOG, lang) for lang in LANGUAGES}
    assert len(set(lines.values())) == len(LANGUAGES)
    assert all("{" not in line for line in lines.values())


def test_submissions_frame_is_not_mutated() -> None:
    inputs = make_inputs()
    before = inputs.submissions.copy(deep=True)
    completeness(inputs, CATALOG)
    pd.testing.assert_frame_equal(inputs.submissions, before)
