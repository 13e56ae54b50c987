"""The annotated copy: the centre's own workbook with problem cells filled and commented, nothing else changed."""

from __future__ import annotations

import resource
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from council.catalog import load_catalog
from council.invisible import INVISIBLE
from council.problems import Problem
from council.settings import Settings
from tasks.feedback import annotate_workbook, annotated_count, annotated_file_name, feedback_file_name
from tasks.feedback.annotate import AUTHOR
from tasks.pipeline.submission import Outcome, answer
from tasks.read import FileIssue, IsolatedReader, ReadLimits
from tasks.storage.ledger import Received
from tasks.validate import ValidationResult, validate_workbook
from tests.hostile.corpus import make_case
from tests.validate.workbooks import NOW, rows_with, write_report

RED, AMBER = "00FFC7CE", "00FFEB9C"
FORMULA_LIKE = "=1+1 пилот"  # a title a user typed: must stay text in the copy


@pytest.fixture(scope="module")
def reader() -> Iterator[IsolatedReader]:
    with IsolatedReader() as warm:
        yield warm


def _validate(reader: IsolatedReader, path: Path) -> ValidationResult:
    raw = reader.read(path, ReadLimits())
    assert not isinstance(raw, FileIssue), raw
    return validate_workbook(raw, load_catalog(), folder_centre="AGRO", now=NOW)


def _marks(path: Path) -> dict[str, tuple[str, str]]:
    """Every commented cell of the workbook: `sheet!A1` → (fill colour, comment text)."""
    book = openpyxl.load_workbook(path)
    return {
        f"{sheet.title}!{cell.coordinate}": (cell.fill.start_color.rgb, cell.comment.text)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    }


def _values(path: Path) -> dict[str, object]:
    book = openpyxl.load_workbook(path)
    return {
        f"{sheet.title}!{cell.coordinate}": (cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory, reader: IsolatedReader) -> tuple[Path, ValidationResult]:
    """A report with errors (wrong unit, unknown region), a warning (TRL fell) and a formula-like title."""
    folder = tmp_path_factory.mktemp("planted")
    projects = {"region_code": "KZ-99", "trl_current": 3, "title": FORMULA_LIKE}
    source = write_report(folder, rows_with(projects=projects, kpi={"unit": "KZT"}))
    return source, _validate(reader, source)


def test_problem_cells_are_filled_and_commented_exactly_there(
    planted: tuple[Path, ValidationResult], tmp_path: Path
) -> None:
    source, result = planted
    out = annotate_workbook(source, tmp_path / "copy_annotated.xlsx", result.problems, "en")
    assert out == tmp_path / "copy_annotated.xlsx"
    marks = _marks(out)
    assert set(marks) == {p.cell for p in result.problems if p.cell}
    assert {"kpi!D3", "projects!K3", "projects!H3"} <= set(marks)
    assert marks["kpi!D3"][0] == RED and marks["projects!K3"][0] == RED
    assert marks["projects!H3"][0] == AMBER  # projects.trl_fall is a warning
    assert "kpi.unit_mismatch" in marks["kpi!D3"][1]
    assert not list(tmp_path.glob(".*partial"))


def test_user_data_is_unchanged_and_formula_like_text_stays_text(
    planted: tuple[Path, ValidationResult], tmp_path: Path
) -> None:
    source, result = planted
    out = annotate_workbook(source, tmp_path / "a.xlsx", result.problems, "kk")
    assert _values(out) == _values(source)
    title = openpyxl.load_workbook(out)["projects"]["B3"]
    assert (title.value, title.data_type) == (FORMULA_LIKE, "s")
    book = openpyxl.load_workbook(out)
    assert book["_meta"].sheet_state == "hidden"
    assert book["projects"].row_dimensions[1].hidden  # the code row stays hidden


def test_several_problems_on_one_cell_make_one_comment_and_the_worst_colour(tmp_path: Path) -> None:
    source = write_report(tmp_path)
    problems = [
        Problem("projects.trl_fall", "warning", "projects", "projects!H3", "3", "TRL fell.", "Explain."),
        Problem("cell.range", "error", "projects", "projects!H3", "3", "Out of range.", "Use 1–9."),
        Problem("file.format", "error", None, None, None, "Whole file."),
    ]
    marks = _marks(annotate_workbook(source, tmp_path / "a.xlsx", problems, "ru"))
    assert list(marks) == ["projects!H3"]
    colour, text = marks["projects!H3"]
    assert colour == RED and "projects.trl_fall" in text and "cell.range" in text


def test_the_cap_marks_errors_first_and_is_counted(tmp_path: Path) -> None:
    source = write_report(tmp_path)
    warning = Problem("projects.trl_fall", "warning", "projects", "projects!H3", None, "w")
    errors = [Problem("cell.required", "error", "kpi", f"kpi!A{row}", None, "e") for row in (3, 4)]
    out = annotate_workbook(source, tmp_path / "a.xlsx", [warning, *errors], "en", max_cells=2)
    assert set(_marks(out)) == {"kpi!A3", "kpi!A4"}
    assert annotated_count([warning, *errors], max_cells=2) == (2, 3)


def test_a_returned_annotated_copy_loses_the_old_marks(tmp_path: Path) -> None:
    source = write_report(tmp_path)
    first = [Problem("cell.required", "error", "kpi", "kpi!A3", None, "e")]
    again = annotate_workbook(source, tmp_path / "first.xlsx", first, "en")
    second = [Problem("cell.required", "error", "kpi", "kpi!B3", None, "e")]
    marks = _marks(annotate_workbook(again, tmp_path / "second.xlsx", second, "en"))
    assert list(marks) == ["kpi!B3"]
    assert openpyxl.load_workbook(tmp_path / "second.xlsx")["kpi"]["A3"].fill.fill_type is None


def test_nothing_to_mark_or_an_unreadable_file_gives_no_copy(tmp_path: Path) -> None:
    source = write_report(tmp_path)
    whole_file = [Problem("template.id", "error", None, None, None, "not ours")]
    assert annotate_workbook(source, tmp_path / "a.xlsx", whole_file, "en") is None
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    cell = [Problem("cell.required", "error", "kpi", "kpi!A3", None, "e")]
    assert annotate_workbook(broken, tmp_path / "b.xlsx", cell, "en") is None
    assert not (tmp_path / "a.xlsx").exists() and not (tmp_path / "b.xlsx").exists()


def _answer(source: Path, result: ValidationResult, tmp_path: Path) -> Outcome:
    """The real answer step for a file archived at `source`."""
    settings = Settings(data_dir=tmp_path / "data", now_override=NOW.isoformat())
    received = Received("AGRO", "Отчёт АГРО.xlsx", "ab" * 32, source.stat().st_size, str(source), NOW)
    outcome = Outcome("AGRO", received.file_name, result.status, received.submission_id, result.period)
    return answer(outcome, received, result, settings, load_catalog())


def test_answer_writes_the_annotated_copy_and_names_it_on_the_summary(
    planted: tuple[Path, ValidationResult], tmp_path: Path
) -> None:
    source, result = planted
    outcome = _answer(source, result, tmp_path)
    assert outcome.annotated is not None and outcome.feedback is not None
    assert outcome.annotated.parent == outcome.feedback.parent
    assert outcome.annotated.name.endswith("_rejected_annotated.xlsx")
    assert set(_marks(outcome.annotated)) == {p.cell for p in result.problems if p.cell}
    summary = openpyxl.load_workbook(outcome.feedback)["summary"]
    assert any(outcome.annotated.name in str(cell.value) for cell in summary["B"])


def test_a_clean_report_gets_no_annotated_copy(tmp_path: Path, reader: IsolatedReader) -> None:
    source = write_report(tmp_path)
    result = _validate(reader, source)
    assert result.problems == []
    outcome = _answer(source, result, tmp_path)
    assert outcome.annotated is None and outcome.feedback is not None
    assert [f.name for f in outcome.feedback.parent.iterdir()] == [outcome.feedback.name]


def test_the_annotated_name_sits_next_to_the_feedback_name() -> None:
    at = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)
    feedback = feedback_file_name("../-rf отчёт.xlsx", at, "rejected")
    annotated = annotated_file_name("../-rf отчёт.xlsx", at, "rejected")
    assert annotated == feedback.removesuffix("_feedback.xlsx") + "_annotated.xlsx"
    assert annotated.startswith("2026-11-28T101500Z_rf_отчёт_rejected")


def test_comments_are_signed_by_the_pipeline(planted: tuple[Path, ValidationResult], tmp_path: Path) -> None:
    source, result = planted
    book = openpyxl.load_workbook(annotate_workbook(source, tmp_path / "a.xlsx", result.problems, "ru"))
    assert book["kpi"]["D3"].comment.author == AUTHOR


# -- untrusted files: the load runs in a child under the reader's limits ----------------------------


def _rezipped(source: Path, out: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """The same package with parts changed by hand, as a crafted file would be (openpyxl would not write it)."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    change(parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def _merged(parts: dict[str, bytes], sheet: str, ref: str) -> None:
    xml = parts[sheet].decode()
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    parts[sheet] = xml.replace("</sheetData>", "</sheetData>" + merge, 1).encode()


def _sheet_part(source: Path, title: str) -> str:
    """The zip part of a sheet, by its title (the template writes several sheets)."""
    return f"xl/worksheets/sheet{openpyxl.load_workbook(source).sheetnames.index(title) + 1}.xml"


def test_a_whole_sheet_merge_costs_one_bounded_answer_not_the_parent(tmp_path: Path) -> None:
    # openpyxl would build 17e9 merged-cell objects: the child hits its memory cap; this process never loads it.
    source = write_report(tmp_path)
    bomb = _rezipped(source, tmp_path / "merge.xlsx", lambda p: _merged(p, _sheet_part(source, "kpi"), "A1:XFD1048576"))
    assert bomb.stat().st_size < 60_000
    cell = [Problem("cell.required", "error", "kpi", "kpi!A3", None, "e")]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    limits = ReadLimits(memory_mb=400, timeout_s=30)
    assert annotate_workbook(bomb, tmp_path / "copy.xlsx", cell, "en", limits=limits) is None
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100_000  # kB
    assert list(tmp_path.glob("copy.xlsx")) == [] and list(tmp_path.glob(".*partial")) == []


def test_a_slow_load_is_cut_at_the_timeout(tmp_path: Path) -> None:
    source = write_report(tmp_path)
    cell = [Problem("cell.required", "error", "kpi", "kpi!A3", None, "e")]
    assert annotate_workbook(source, tmp_path / "copy.xlsx", cell, "en", limits=ReadLimits(timeout_s=0.05)) is None
    assert list(tmp_path.glob("copy.xlsx")) == [] and list(tmp_path.glob(".*partial")) == []
    # The same file and problem within the default limits is annotated: the None above was the cut.
    assert annotate_workbook(source, tmp_path / "full.xlsx", cell, "en") == tmp_path / "full.xlsx"


def test_a_problem_inside_a_merged_range_marks_its_top_left_cell(tmp_path: Path) -> None:
    # The quirk scan reports merges in the data area, but a merge it did not see must not break the copy.
    source = write_report(tmp_path)
    merged = _rezipped(source, tmp_path / "m.xlsx", lambda p: _merged(p, _sheet_part(source, "kpi"), "B3:B4"))
    problems = [
        Problem("cell.codelist", "warning", "kpi", "kpi!B4", "X", "Unknown area."),
        Problem("cell.required", "error", "kpi", "kpi!B3", None, "Missing."),
        Problem("cell.required", "error", "kpi", "kpi!C3", None, "Missing value."),
    ]
    marks = _marks(annotate_workbook(merged, tmp_path / "copy.xlsx", problems, "en"))
    assert set(marks) == {"kpi!B3", "kpi!C3"}
    colour, text = marks["kpi!B3"]
    assert colour == RED and "Unknown area." in text and "Missing." in text


def test_malformed_doc_props_still_get_an_annotated_copy(tmp_path: Path) -> None:
    source = write_report(tmp_path)

    def garble(parts: dict[str, bytes]) -> None:
        parts["docProps/core.xml"] = b"<cp:coreProperties><dcterms:created>yesterday</oops>"
        parts["docProps/app.xml"] = b"\xff\xfe not xml"

    broken = _rezipped(source, tmp_path / "props.xlsx", garble)
    cell = [Problem("cell.required", "error", "kpi", "kpi!A3", None, "e")]
    assert set(_marks(annotate_workbook(broken, tmp_path / "copy.xlsx", cell, "en"))) == {"kpi!A3"}


def test_comments_carry_no_bidi_or_zero_width_characters(tmp_path: Path) -> None:
    source = write_report(tmp_path)

    def user_comment(book: openpyxl.Workbook) -> None:
        book["kpi"]["A3"].comment = openpyxl.comments.Comment("see\u202e gnp.exe\u200b", "Aigul")

    book = openpyxl.load_workbook(source)
    user_comment(book)
    book.save(source)
    problems = [Problem("cell.codelist", "error", "kpi", "kpi!A3", "AB\u202eC", "Value AB\u202eC\u2066 is unknown.")]
    [(_, text)] = _marks(annotate_workbook(source, tmp_path / "copy.xlsx", problems, "en")).values()
    assert "Value ABC is unknown." in text and "see gnp.exe" in text
    assert not set(text) & set(INVISIBLE)


@pytest.mark.parametrize(
    ("kind", "marked"), [("malformed_doc_props", "projects!B3"), ("problem_cell_inside_merge", "kpi!H3")]
)
def test_hostile_corpus_files_get_their_annotated_copy(
    kind: str, marked: str, tmp_path: Path, reader: IsolatedReader
) -> None:
    case = make_case(kind, tmp_path / "in")
    source = tmp_path / "in" / case.file_name
    outcome = _answer(source, _validate(reader, source), tmp_path)
    assert outcome.annotated is not None and list(_marks(outcome.annotated)) == [marked]
