"""Bidi controls and zero-width characters from a centre never reach the feedback workbook (values, messages, name)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl

from council.catalog import load_catalog
from council.invisible import INVISIBLE, invisible_found, neutralised
from council.problems import Problem, make_problem, verdict
from tasks.feedback import write_feedback

SPOOFED = "отчёт\u202egpj.exe\u200b"  # shows as "отчётexe.jpg" in a left-to-right window
HIDDEN_VALUE = "KZ\u200b-\u2066ALA\u2069\u200e"


def _problems() -> list[Problem]:
    catalog = load_catalog()
    found = [
        make_problem(catalog, "cell.codelist", "en", sheet="projects", cell="projects!K3", value=HIDDEN_VALUE, row=3),
        make_problem(catalog, "meta.centre_mismatch", "en", found="AG\u202eRO", expected="AGRO", centre="AGRO"),
        make_problem(catalog, "cell.invisible_characters", "en", sheet="projects", cell="projects!B3",
                     value=SPOOFED, found=invisible_found(SPOOFED), column="title"),
    ]  # fmt: skip
    return [p for p in found if p is not None]


def test_problem_values_and_messages_are_neutralised_where_they_are_made() -> None:
    problems = _problems()
    assert problems[0].value == "KZ-ALA"
    assert problems[2].value == "отчётgpj.exe"
    texts = [text for p in problems for text in (p.value or "", p.message, p.fix)]
    assert not set("".join(texts)) & set(INVISIBLE)
    assert "U+202E, U+200B" in problems[2].message  # what was hidden is named, visibly


def test_the_feedback_workbook_shows_no_hidden_characters(tmp_path: Path) -> None:
    problems = _problems()
    out = write_feedback(
        load_catalog(),
        tmp_path / "feedback.xlsx",
        status=verdict(problems),
        problems=problems,
        lang="en",
        centre="AGRO",
        period="2026S1",
        file_name=SPOOFED + ".xlsx",
        sha256="0" * 64,
        received_at=datetime(2026, 7, 20, 9, tzinfo=UTC),
    )
    book = openpyxl.load_workbook(out)
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert not set("".join(cells)) & set(INVISIBLE)
    assert any("отчётgpj.exe.xlsx" in text for text in cells)  # the name as stored, minus the controls


def test_neutralised_removes_exactly_the_hidden_characters() -> None:
    assert (
        neutralised("a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j\u200ek\u200fl\u061cm")
        == "abcdefghijklm"
    )
    assert neutralised("a\u200bb\u200cc\u200dd\u2060e\ufefff") == "abcdef"
    assert neutralised("Алматы\u00a0 tab\there") == "Алматы\u00a0 tab\there"  # spaces are not hidden characters
    assert invisible_found("x\u200by\u200bz\u202e") == "U+200B, U+202E"
