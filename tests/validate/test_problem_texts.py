"""What a centre reads: every fix says what is allowed, in the reader's language and number convention (issue 12)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from council.catalog import LANGUAGES, load_catalog
from council.numbers import NBSP
from council.problems import Problem
from tasks.read import FileIssue
from tasks.read.formats import FORMAT_NAMES
from tasks.validate import file_issue_result
from tests.validate.conftest import Verdict
from tests.validate.workbooks import rows_with, write_report

CATALOG = load_catalog()
# One workbook per language with a planted mistake of each kind, on the first row of its sheet.
MISTAKES = rows_with(
    projects={
        "title": "x" * 1501,
        "end_date_plan": date(2025, 1, 31),
        "trl_current": 12,
        "project_type": "RESEARCH",
        "region_code": "KZ-99",
        "funding_private_kzt": 350_002.50,
    },
    budget={"spent_kzt": -5.0},
    kpi={"value": -3.0},
)
AT_LEAST_ZERO = {lang: "≥ 0" for lang in LANGUAGES}
ONE_TO_NINE = {"kk": "1 – 9 аралығында", "ru": "от 1 до 9", "en": "between 1 and 9"}
STORAGE_MAX = {"kk": NBSP.join(["≤ 1", *["000"] * 5]), "ru": NBSP.join(["≤ 1", *["000"] * 5]), "en": "≤ 1" + ",000" * 5}


def _found(verdict: Verdict, tmp_path: Path, lang: str) -> dict[tuple[str, str | None], Problem]:
    result = verdict(write_report(tmp_path, MISTAKES, lang=lang))
    assert result.lang == lang
    return {(p.rule, p.cell): p for p in result.problems}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_rule_kind_says_what_is_allowed(lang: str, tmp_path: Path, verdict: Verdict) -> None:
    found = _found(verdict, tmp_path, lang)
    trl = found["cell.range", "projects!H3"]
    assert ONE_TO_NINE[lang] in trl.message and "…" not in trl.message
    spent = found["cell.range", "budget!G3"]
    # minimum 0 is the schema's bound; the 10^15 storage maximum is not news to someone who typed -5
    assert AT_LEAST_ZERO[lang] in spent.message and "1 000" not in spent.message.replace(NBSP, " ")
    assert "…" not in spent.message and "outside" not in spent.message
    negative = found["cell.range", "kpi!C3"]  # a number column: its storage maximum (10^300) is never news
    assert AT_LEAST_ZERO[lang] in negative.message and "…" not in negative.message
    short = found["cell.codelist", "projects!E3"]
    for code in CATALOG.codes("project_type"):
        assert f"{code} — {CATALOG.code_label('project_type', code, lang)}" in short.fix
    assert not short.fix.rstrip(".").endswith("…")
    dates = found["projects.end_before_start", "projects!J3"].message  # dates the reader's way too
    assert {"en": "31 January 2025"}.get(lang, "31.01.2025") in dates and "2025-01-31" not in dates
    too_long = found["cell.too_long", "projects!B3"]  # both numbers said, the length the reader's way
    length = {"en": "1,501"}.get(lang, f"1{NBSP}501")
    assert length in too_long.message and "500" in too_long.message, too_long.message
    long = found["cell.codelist", "projects!K3"]
    assert str(len(CATALOG.codes("region"))) in long.fix and "codes" in long.fix and "…" not in long.fix


def test_a_money_value_beyond_what_the_warehouse_holds_names_that_maximum(tmp_path: Path, verdict: Verdict) -> None:
    for lang in ("ru", "en"):
        rows = rows_with(projects={"budget_total_kzt": 1e16, "funding_public_kzt": 1e16 - 350_001.0})
        result = verdict(write_report(tmp_path, rows, lang=lang, name=f"{lang}.xlsx"))
        [problem] = [p for p in result.problems if p.rule == "cell.range" and p.cell == "projects!N3"]
        assert STORAGE_MAX[lang] in problem.message, problem.message
        assert "≥ 0" not in problem.message


def test_amounts_and_values_in_the_readers_convention(tmp_path: Path, verdict: Verdict) -> None:
    ru = _found(verdict, tmp_path, "ru")
    funding = ru["projects.funding_sum", "projects!N3"]
    assert f"1{NBSP}000{NBSP}000,00" in funding.message and "1 000 000.00" not in funding.message
    assert ru["cell.range", "budget!G3"].value == "-5"
    (tmp_path / "en").mkdir()
    en = _found(verdict, tmp_path / "en", "en")
    assert "1,000,000.00" in en["projects.funding_sum", "projects!N3"].message


def test_every_detected_format_has_a_name_in_every_language() -> None:
    names = {labels["en"]: labels for labels in CATALOG.texts["formats"].values()}
    assert set(names) == set(FORMAT_NAMES.values())
    assert all(set(labels) == set(LANGUAGES) for labels in names.values())


@pytest.mark.parametrize(("lang", "name"), [("kk", "Excel 97-2003 ескі пішімі (.xls)"), ("en", "Excel 97-2003 .xls")])
def test_a_refused_format_is_named_in_the_readers_language(lang: str, name: str) -> None:
    [problem] = file_issue_result(FileIssue("file.format", FORMAT_NAMES["xls"]), CATALOG, lang=lang).problems
    assert f": {name})" in problem.message
