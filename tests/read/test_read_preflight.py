"""preflight: bombs, DTDs, absurd extents, damaged zips and wrong formats refused before any parser runs."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from tasks.read import FileIssue, ReadLimits, preflight
from tasks.read.preflight import CheckedZip

LIMITS = ReadLimits()
SHEET = "xl/worksheets/sheet1.xml"


def workbook_file(tmp_path: Path, name: str = "report.xlsx") -> Path:
    book = openpyxl.Workbook()
    book.active.title = "kpi"
    book.active.append(["indicator_code", "value"])
    book.active.append(["PAT_APP_KZ", 3])
    path = tmp_path / name
    book.save(path)
    return path


def rebuilt(path: Path, changes: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy the zip, replacing or adding entries, as a hand-crafted hostile file would."""
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    out = path.with_name("crafted.xlsx")
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in {**entries, **changes}.items():
            archive.writestr(name, data)
    return out


def sheet_with(path: Path, rows_xml: str) -> Path:
    """The first sheet with extra `<row>` XML appended to its sheetData."""
    with zipfile.ZipFile(path) as source:
        xml = source.read(SHEET).decode()
    return rebuilt(path, {SHEET: xml.replace("</sheetData>", rows_xml + "</sheetData>").encode()})


def test_clean_workbook_passes_whatever_its_name(tmp_path: Path) -> None:
    assert preflight(workbook_file(tmp_path, "отчёт -rf.dat"), LIMITS) is None


def test_zip_bomb_refused_from_the_directory_without_inflating_a_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = rebuilt(workbook_file(tmp_path), {"xl/media/zeros.bin": bytes(50 * 2**20)})

    def inflating(self: CheckedZip) -> None:
        raise AssertionError("the scan inflated the parts of a file the zip directory already condemns")

    monkeypatch.setattr(CheckedZip, "scan", inflating)  # bench/hostile.py times the zip_bomb kind
    issue = preflight(bomb, LIMITS)
    assert issue is not None and issue.rule == "file.unsafe"
    assert "xl/media/zeros.bin" in issue.found


def test_expanding_beyond_the_total_limit_is_too_large(tmp_path: Path) -> None:
    issue = preflight(workbook_file(tmp_path), ReadLimits(max_uncompressed_bytes=1000))
    assert issue is not None and issue.rule == "file.too_large"


def test_too_many_zip_entries(tmp_path: Path) -> None:
    issue = preflight(workbook_file(tmp_path), ReadLimits(max_entries=3))
    assert issue is not None and issue.rule == "file.unsafe"


def test_file_over_max_bytes(tmp_path: Path) -> None:
    issue = preflight(workbook_file(tmp_path), ReadLimits(max_bytes=100))
    assert issue is not None and issue.rule == "file.too_large" and issue.found.endswith(" bytes")


@pytest.mark.parametrize(
    ("part", "prolog"),
    [
        ("xl/sharedStrings.xml", '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]>'),
        (SHEET, "<?xml version='1.0'?><!-- " + "x" * 3000 + ' --><!DOCTYPE x SYSTEM "file:///etc/passwd">'),
        ("xl/workbook.xml", '<?xml version="1.0"?>\n<!DOCTYPE wb [<!ENTITY e SYSTEM "http://evil/">]>'),
    ],
)
def test_doctype_refused_on_sight(tmp_path: Path, part: str, prolog: str) -> None:
    path = workbook_file(tmp_path)
    with zipfile.ZipFile(path) as source:
        body = source.read(part).decode() if part in source.namelist() else "<sst/>"
    body = body.split("?>", 1)[-1] if body.startswith("<?xml") else body
    issue = preflight(rebuilt(path, {part: (prolog + body).encode()}), LIMITS)
    assert issue is not None and issue.rule == "file.unsafe"
    assert "<!DOCTYPE>" in issue.found and part in issue.found


def test_doctype_in_utf16_part(tmp_path: Path) -> None:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><sst/>'
    issue = preflight(rebuilt(workbook_file(tmp_path), {"xl/sharedStrings.xml": xml.encode("utf-16")}), LIMITS)
    assert issue is not None and issue.rule == "file.unsafe"


def test_cell_at_xfd1048576_refused_with_its_address(tmp_path: Path) -> None:
    path = sheet_with(workbook_file(tmp_path), '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert preflight(path, LIMITS) == FileIssue("file.too_large", "cell XFD1048576 in sheet kpi")


def test_rows_and_cells_without_r_are_counted_like_calamine(tmp_path: Path) -> None:
    limits = ReadLimits(max_rows=20, max_columns=5)
    many_rows = sheet_with(workbook_file(tmp_path), "<row/>" * 30 + "<row><c><v>1</v></c></row>")
    assert preflight(many_rows, limits) == FileIssue("file.too_large", "cell A33 in sheet kpi")
    wide = sheet_with(workbook_file(tmp_path), '<row r="3">' + "<c/>" * 9 + "<c><v>1</v></c></row>")
    assert preflight(wide, limits) == FileIssue("file.too_large", "cell J3 in sheet kpi")


def test_empty_styled_cell_far_down_is_harmless(tmp_path: Path) -> None:
    path = sheet_with(workbook_file(tmp_path), '<row r="1048576"><c r="XFD1048576" s="0"/></row>')
    assert preflight(path, LIMITS) is None


def test_truncated_workbook_is_corrupt(tmp_path: Path) -> None:
    path = workbook_file(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    issue = preflight(path, LIMITS)
    assert issue is not None and issue.rule == "file.corrupt"


def test_bad_crc_is_corrupt(tmp_path: Path) -> None:
    path = rebuilt(workbook_file(tmp_path), {}, method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"PAT_APP_KZ")
    data[at] = ord("Q")
    path.write_bytes(bytes(data))
    issue = preflight(path, LIMITS)
    assert issue is not None and issue.rule == "file.corrupt" and "CRC" in issue.found


def test_directory_lying_about_sizes_is_corrupt(tmp_path: Path) -> None:
    path = workbook_file(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    entry = data.rindex(SHEET.encode()) - 46  # the name's last copy is in the central directory
    data[entry + 24 : entry + 28] = (info.file_size // 2).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    issue = preflight(path, LIMITS)
    assert issue is not None and issue.rule == "file.corrupt"


def test_duplicate_entry_names_are_unsafe(tmp_path: Path) -> None:
    path = workbook_file(tmp_path)
    with warnings.catch_warnings(), zipfile.ZipFile(path, "a") as archive:
        warnings.simplefilter("ignore")
        archive.writestr(SHEET, b"<worksheet/>")
    issue = preflight(path, LIMITS)
    assert issue is not None and issue.rule == "file.unsafe"


@pytest.mark.parametrize(
    ("content", "rule", "found"),
    [
        (b"", "file.corrupt", "empty file (0 bytes)"),
        (b"%PDF-1.4\n", "file.format", "PDF document"),
        (b"project_id,title\n", "file.format", "text or CSV file"),
    ],
)
def test_not_a_workbook_despite_the_name(tmp_path: Path, content: bytes, rule: str, found: str) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(content)
    assert preflight(path, LIMITS) == FileIssue(rule, found)


def test_macro_workbook_refused(tmp_path: Path) -> None:
    path = rebuilt(workbook_file(tmp_path), {"xl/vbaProject.bin": b"\0" * 512})
    assert preflight(path, LIMITS) == FileIssue("file.format", "macro-enabled workbook (.xlsm)")


def test_encrypted_workbook(tmp_path: Path) -> None:
    out = io.BytesIO()
    with workbook_file(tmp_path).open("rb") as handle:
        OOXMLFile(handle).encrypt("secret", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    issue = preflight(path, LIMITS)
    assert issue is not None and issue.rule == "file.encrypted"


def test_preflight_has_a_time_budget(tmp_path: Path) -> None:
    issue = preflight(workbook_file(tmp_path), ReadLimits(timeout_s=0))
    assert issue is not None and issue.rule == "file.unreadable"


def test_attribute_order_and_prefixes_do_not_hide_a_far_cell(tmp_path: Path) -> None:
    reordered = sheet_with(workbook_file(tmp_path), '<row r="7"><c t="n" r="XFD7"><v>1</v></c></row>')
    assert preflight(reordered, LIMITS) == FileIssue("file.too_large", "cell XFD7 in sheet kpi")
