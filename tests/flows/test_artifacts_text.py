"""The text of the analysts' artifacts, built without Prefect."""

from __future__ import annotations

from council.catalog import load_catalog
from council.problems import make_problem
from flows.artifacts import centre_markdown, pack_markdown, sweep_markdown
from tasks.pipeline.submission import Outcome


def _outcome(status: str, n: int, name: str = "r|1.xlsx") -> Outcome:
    problem = make_problem(
        load_catalog(), "kpi.unit_mismatch", "en", sheet="kpi", cell="kpi!D3", value="KZT", expected="COUNT"
    )
    return Outcome("AGRO", name, status, "AGRO-1", "2026S1", problems=[problem] * n)


def test_sweep_summary_counts_outcomes_and_escapes_file_names() -> None:
    text = sweep_markdown([_outcome("rejected", 3), _outcome("accepted", 0)])
    assert "| AGRO | r\\|1\\.xlsx | 2026S1 | rejected | 3 | 0 |" in text
    assert text.endswith("1 accepted, 1 rejected")


def test_centre_summary_groups_repeated_problems() -> None:
    text = centre_markdown("AGRO", [_outcome("rejected", 4)])
    assert "`kpi.unit_mismatch` ×4 at kpi!D3" in text


def test_pack_summary_names_missing_centres_and_tabulates_the_headline() -> None:
    headline = {"AGRITECH": {"projects": 14, "budget_execution_pct": 0.852}, "ALL": {"projects": 119, "jobs": 382.0}}
    manifest = {
        "meeting": "TPC-2026-09",
        "period": "2026S1",
        "language": "en",
        "inputs": [{"centre": "AGRO"}],
        "headline": headline,
    }
    text = pack_markdown(manifest, load_catalog())
    assert "Submissions used: 1 of 8" in text and "\\(HEALTH\\)" in text
    assert "| Figure | AgriTech | Total |" in text
    assert "| Projects | 14 | 119 |" in text
    assert "| Budget execution \\(spent / corrected plan\\) | 85.2% | no data |" in text
