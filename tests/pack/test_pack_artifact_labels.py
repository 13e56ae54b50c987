"""The pack's Prefect artifact speaks the pack's language: figure and area labels, never raw codes."""

from __future__ import annotations

import pytest

from council.catalog import load_catalog
from flows.artifacts import pack_markdown

CATALOG = load_catalog()
HEADLINE = {
    "AGRITECH": {"projects": 14, "budget_total_kzt": 1_234_567.0, "budget_execution_pct": 0.852},
    "ALL": {"projects": 119, "jobs": 382.0},
}


def manifest(lang: str, **extra: object) -> dict[str, object]:
    return {
        "meeting": "TPC-2026-09",
        "period": "2026S1",
        "language": lang,
        "built_at": "2026-09-17T06:00:00+00:00",
        "data_as_of": "2026-07-20T09:30:00+00:00",
        "inputs": [{"centre": "AGRO"}],
        "headline": HEADLINE,
    } | extra


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_figures_and_areas_are_labels_in_the_pack_language(lang: str) -> None:
    text = pack_markdown(manifest(lang), CATALOG)
    agritech, total = CATALOG.code_label("priority_area_or_all", "AGRITECH", lang), CATALOG.text("pack.total", lang)
    assert f"| {CATALOG.text('pack.headline_metric', lang)} | {agritech} | {total} |" in text
    assert f"| {CATALOG.text('pack.headline_projects', lang)} | 14 | 119 |" in text
    for code in ("AGRITECH", "| ALL", "projects |", "budget_execution_pct", "budget_total_kzt", "| jobs"):
        assert code not in text, code
    assert CATALOG.text("pack.no_data", lang) in text  # AgriTech jobs: not reported, not blank


def test_missing_centres_by_name_and_code_and_times_readable() -> None:
    text = pack_markdown(manifest("en"), CATALOG)
    assert "Submissions used: 1 of 8" in text and f"{CATALOG.centres['HEALTH'].name('en')} \\(HEALTH\\)" in text
    assert "data as of 2026-07-20 09:30 UTC; built 2026-09-17 06:00 UTC" in text


def test_a_draft_says_so_and_centre_text_stays_inert() -> None:
    text = pack_markdown(manifest("ru", draft=True, meeting="[x](http://evil.example)"), CATALOG)
    assert f"**{CATALOG.text('pack.draft_mark', 'ru')}**" in text
    assert "](http" not in text and "\\[x\\]\\(http\\:" in text
