"""Samples exist for any period of the calendar's rule, not only the periods it had listed."""

from __future__ import annotations

from council.catalog import Catalog
from tasks.samples.files import submission_rows
from tasks.samples.portfolio import period_index, projects


def test_a_later_periods_sample_has_projects_and_funding_that_adds_up(catalog: Catalog) -> None:
    for centre in catalog.centres:
        rows = submission_rows(catalog, centre, "2031S1", 7)
        assert rows["projects"] and rows["kpi"], centre
        for p in rows["projects"]:
            parts = [p["funding_public_kzt"], p["funding_private_kzt"], p["funding_foreign_kzt"]]
            assert all(float(str(x).replace(" ", "").replace(",", ".")) >= 0 for x in parts if x is not None)


def test_the_portfolio_up_to_a_period_does_not_depend_on_how_far_ahead_is_asked(catalog: Catalog) -> None:
    near = projects(catalog, "AGRO", 7, "kk", through=period_index("2028S2"))
    far = projects(catalog, "AGRO", 7, "kk", through=period_index("2031S1"))
    assert far[: len(near)] == near and len(far) > len(near)
    ids = [p.project_id for p in far]
    assert len(ids) == len(set(ids))  # numbering per start year continues, never repeats
