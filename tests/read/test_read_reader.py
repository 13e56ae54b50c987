"""The isolated reader: values and types as calamine gives them, and a child that dies without taking us along."""

from __future__ import annotations

import ast
import datetime as dt
import io
import os
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from tasks.read import FileIssue, IsolatedReader, RawWorkbook, ReadLimits, read_workbook
from tasks.read.isolation import CHILD_SCRIPT

LIMITS = ReadLimits()
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture(scope="module")
def reader() -> Iterator[IsolatedReader]:
    with IsolatedReader(LIMITS.memory_mb) as warm:
        yield warm


def report(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    kpi = book.active
    kpi.title = "kpi"
    kpi.append(["partner_bin", "value", "start_date", "stamp", "flag", "count"])
    kpi.append(["010203400123", 12.5, dt.date(2026, 3, 15), dt.datetime(2026, 3, 15, 9, 30), True, 7])
    kpi["A6"].number_format = "0.00"  # a formatted but empty cell below the data: trimmed away
    book.create_sheet("_meta").sheet_state = "hidden"
    book["_meta"].append(["template_id", "tpc-centre-report"])
    book.create_sheet("secret").sheet_state = "veryHidden"
    path = tmp_path / "report.xlsx"
    book.save(path)
    return path


def with_sheet_xml(path: Path, edit: str) -> Path:
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    xml = entries[SHEET].decode()
    entries[SHEET] = xml.replace("</sheetData>", edit + "</sheetData>").encode()
    out = path.with_name("edited.xlsx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out


def test_values_types_and_visibility(tmp_path: Path, reader: IsolatedReader) -> None:
    book = reader.read(report(tmp_path), LIMITS)
    assert isinstance(book, RawWorkbook)
    assert list(book.sheets) == ["kpi", "_meta", "secret"]
    assert [sheet.visible for sheet in book.sheets.values()] == [True, False, False]
    rows = book.sheets["kpi"].rows
    assert len(rows) == 2
    assert rows[1][0] == "010203400123"
    assert rows[1][1:] == [12.5, dt.date(2026, 3, 15), dt.datetime(2026, 3, 15, 9, 30), True, 7]
    assert book.sheets["_meta"].rows == [["template_id", "tpc-centre-report"]]


def test_trailing_empty_rows_trimmed(tmp_path: Path, reader: IsolatedReader) -> None:
    padded = with_sheet_xml(report(tmp_path), '<row r="150000"><c r="A150000" t="inlineStr"><is><t></t></is></c></row>')
    book = reader.read(padded, LIMITS)
    assert isinstance(book, RawWorkbook) and len(book.sheets["kpi"].rows) == 2


def test_encrypted_is_reported_by_calamine_too(tmp_path: Path, reader: IsolatedReader) -> None:
    locked = tmp_path / "locked.xlsx"
    with report(tmp_path).open("rb") as handle, locked.open("wb") as out:
        OOXMLFile(handle).encrypt("secret", out)
    assert reader.read(locked, LIMITS, check=False) == FileIssue("file.encrypted", "password-protected workbook")


def test_malformed_xml_past_preflight_is_corrupt(tmp_path: Path, reader: IsolatedReader) -> None:
    broken = with_sheet_xml(report(tmp_path), '<row r="9"><c r="A9" t="s"><v>999</v></c></row>')
    issue = reader.read(broken, LIMITS)
    assert isinstance(issue, FileIssue) and issue.rule == "file.corrupt"


def test_child_over_memory_is_unreadable_and_the_reader_recovers(tmp_path: Path, reader: IsolatedReader) -> None:
    # Skipping preflight on purpose: calamine asks for 512 GiB and aborts, in the child only.
    huge = with_sheet_xml(report(tmp_path), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    before = reader.read(report(tmp_path), LIMITS) and reader.pid
    assert reader.read(huge, LIMITS, check=False) == FileIssue("file.unreadable", "reader exceeded 2048 MB")
    assert isinstance(reader.read(report(tmp_path), LIMITS), RawWorkbook)
    assert reader.pid != before


def test_killed_child_is_reported_then_replaced(tmp_path: Path, reader: IsolatedReader) -> None:
    assert isinstance(reader.read(report(tmp_path), LIMITS), RawWorkbook)
    pid = reader.pid
    assert isinstance(pid, int) and Path(f"/proc/{pid}/status").is_file()  # a live child to kill
    os.kill(pid, signal.SIGKILL)
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    assert isinstance(reader.read(report(tmp_path), LIMITS), RawWorkbook)


def test_a_child_killed_from_outside_mid_read_is_transient_not_a_verdict(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(HELLO + "import signal\nsys.stdin.readline()\nos.kill(os.getpid(), signal.SIGKILL)\n")
    with IsolatedReader(child_script=script) as odd:
        issue = odd.read(report(tmp_path), LIMITS, check=False)
    assert issue == FileIssue("file.unreadable", "reader crashed (signal 9)", transient=True)


def test_timeout_kills_the_child(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    for row in range(2000):
        book.active.append([f"text {row}", row, row * 1.5, "x" * 20])
    path = tmp_path / "big.xlsx"
    book.save(path)
    with IsolatedReader() as fresh:
        assert isinstance(fresh.read(report(tmp_path), LIMITS, check=False), RawWorkbook)
        issue = fresh.read(path, ReadLimits(timeout_s=0.001), check=False)
        assert issue == FileIssue("file.unreadable", "reader timed out after 0.001 s", transient=True)
        assert fresh.pid is None
        assert isinstance(fresh.read(path, LIMITS), RawWorkbook)


def test_read_workbook_runs_preflight_first(tmp_path: Path) -> None:
    huge = with_sheet_xml(report(tmp_path), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert read_workbook(huge, LIMITS) == FileIssue("file.too_large", "cell XFD1048576 in sheet kpi")
    assert isinstance(read_workbook(report(tmp_path), LIMITS), RawWorkbook)


def test_child_imports_only_the_stdlib_and_calamine() -> None:
    tree = ast.parse(CHILD_SCRIPT.read_text())
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert names == {"datetime", "json", "os", "resource", "sys", "python_calamine"}


def test_no_result_is_lost_in_the_json_round_trip(tmp_path: Path, reader: IsolatedReader) -> None:
    book = openpyxl.Workbook()
    book.active.append(["=1+1", "  spaced\u00a0", "NA", -0.0, 1e-300, dt.time(7, 5)])
    path = tmp_path / "odd.xlsx"
    book.save(io.BytesIO())
    book.save(path)
    result = reader.read(path, LIMITS)
    assert isinstance(result, RawWorkbook)
    assert result.sheets["Sheet"].rows[0][1:] == ["  spaced\u00a0", "NA", -0.0, 1e-300, dt.time(7, 5)]


HELLO = """import os, sys
def say(data):
    sys.stdout.buffer.write(len(data).to_bytes(4, "big") + data)
    sys.stdout.flush()
say(b'{"ready": true}')
"""


@pytest.mark.parametrize(
    ("on_request", "found"),
    [
        ("os.abort()", "reader crashed (signal 6)"),
        ("sys.exit(5)", "reader exited with code 5"),
        ("say(b'not json'); sys.stdin.readline()", "reader sent a malformed answer"),
    ],
)
def test_a_misbehaving_child_is_a_finding_not_an_exception(tmp_path: Path, on_request: str, found: str) -> None:
    script = tmp_path / "child.py"
    script.write_text(HELLO + f"sys.stdin.readline()\n{on_request}\n")
    with IsolatedReader(child_script=script) as odd:
        assert odd.read(report(tmp_path), LIMITS, check=False) == FileIssue("file.unreadable", found)
        assert odd.pid is None
