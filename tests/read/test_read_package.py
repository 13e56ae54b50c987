"""The package around the cells: macros, embedded objects and external links by type, worksheets by relationship."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tasks.read import FileIssue, IsolatedReader, RawWorkbook, ReadLimits, preflight
from tasks.read.preflight import preflight_scan
from tests.hostile.corpus import make_case
from tests.validate.workbooks import judge_file

LIMITS = ReadLimits()
SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
OLE_PART = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def book_bytes(merge: str | None = None) -> bytes:
    """A small workbook; a merge is written into the XML by hand (openpyxl would build every merged cell)."""
    book = openpyxl.Workbook()
    book.active.title = "kpi"
    book.active.append(["indicator_code", "value"])
    book.active.append(["PAT_APP_KZ", 3])
    out = io.BytesIO()
    book.save(out)
    if merge is None:
        return out.getvalue()
    parts = entries(out.getvalue())
    merged = f'</sheetData><mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>'
    parts[SHEET] = parts[SHEET].decode().replace("</sheetData>", merged).encode()
    return zipped(parts)


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return out.getvalue()


def written(tmp_path: Path, parts: dict[str, bytes], name: str = "crafted.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(zipped(parts))
    return path


def with_relationship(parts: dict[str, bytes], rels: str, rel_type: str, target: str, mode: str = "") -> None:
    """Add one relationship to a .rels part (creating it), as a hand-made file would."""
    xml = parts.get(rels, f'<Relationships xmlns="{REL[:-37]}package/2006/relationships"></Relationships>'.encode())
    extra = f' TargetMode="{mode}"' if mode else ""
    added = f'<Relationship Id="rIdX{len(xml)}" Type="{rel_type}" Target="{target}"{extra}/></Relationships>'
    parts[rels] = xml.decode().replace("</Relationships>", added).encode()


def with_override(parts: dict[str, bytes], part: str, content_type: str) -> None:
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    parts[TYPES] = parts[TYPES].decode().replace("</Types>", override).encode()


def test_a_vba_project_under_an_innocent_name_is_found_by_its_content_type(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/media/logo.png"] = OLE_PART
    with_override(parts, "xl/media/logo.png", "application/vnd.ms-office.vbaProject")
    assert preflight(written(tmp_path, parts), LIMITS) == FileIssue("file.macros", "xl/media/logo.png")


def test_a_vba_project_named_only_by_a_relationship_is_found(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/styles2.dat"] = OLE_PART
    with_relationship(parts, WORKBOOK_RELS, VBA_REL, "styles2.dat")
    assert preflight(written(tmp_path, parts), LIMITS) == FileIssue("file.macros", "xl/styles2.dat")


def test_excel4_macro_sheets_are_macros_too(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/macrosheets/sheet1.xml"] = (
        b'<xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/>'
    )
    with_relationship(parts, WORKBOOK_RELS, "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
                      "macrosheets/sheet1.xml")  # fmt: skip
    issue = preflight(written(tmp_path, parts), LIMITS)
    assert issue is not None and issue.rule == "file.macros"


def test_an_ole_embedding_is_refused(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/embeddings/oleObject1.bin"] = OLE_PART
    with_relationship(parts, "xl/worksheets/_rels/sheet1.xml.rels", f"{REL}/oleObject", "../embeddings/oleObject1.bin")
    assert preflight(written(tmp_path, parts), LIMITS) == FileIssue(
        "file.embedded_object", "xl/embeddings/oleObject1.bin"
    )


def test_an_embedded_object_under_another_folder_is_found_by_its_relationship(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/media/image9.bin"] = OLE_PART
    with_relationship(parts, "xl/worksheets/_rels/sheet1.xml.rels", f"{REL}/package", "../media/image9.bin")
    assert preflight(written(tmp_path, parts), LIMITS) == FileIssue("file.embedded_object", "xl/media/image9.bin")


def test_pictures_are_not_embedded_objects(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/media/image1.png"] = b"\x89PNG\r\n\x1a\n" + bytes(64)
    with_relationship(parts, "xl/drawings/_rels/drawing1.xml.rels", f"{REL}/image", "../media/image1.png")
    assert preflight(written(tmp_path, parts), LIMITS) is None


def external_link_parts() -> dict[str, bytes]:
    parts = entries(book_bytes())
    parts["xl/externalLinks/externalLink1.xml"] = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    )
    with_relationship(parts, WORKBOOK_RELS, f"{REL}/externalLink", "externalLinks/externalLink1.xml")
    with_relationship(parts, "xl/externalLinks/_rels/externalLink1.xml.rels", f"{REL}/externalLinkPath",
                      "file:///C:/Users/aigul/Budgets/plan%202026.xlsx", "External")  # fmt: skip
    return parts


def test_an_external_link_is_a_warning_that_names_the_linked_file(tmp_path: Path) -> None:
    path = written(tmp_path, external_link_parts())
    assert preflight(path, LIMITS) is None  # read, not refused: the values are cached in the cells
    with IsolatedReader() as reader:
        read = reader.read(path, LIMITS)
    assert isinstance(read, RawWorkbook)
    assert read.findings == (FileIssue("workbook.external_link", "plan 2026.xlsx"),)


def test_a_clean_workbook_carries_no_findings(tmp_path: Path) -> None:
    with IsolatedReader() as reader:
        read = reader.read(written(tmp_path, entries(book_bytes())), LIMITS)
    assert isinstance(read, RawWorkbook) and read.findings == ()


def moved_sheet(part: str, target: str | None = None) -> dict[str, bytes]:
    """The worksheet stored under another part name, reached only through the workbook's relationships."""
    parts = entries(book_bytes())
    parts[part] = parts.pop(SHEET)
    rels = parts[WORKBOOK_RELS].decode().replace("/xl/worksheets/sheet1.xml", target or "/" + part)
    parts[WORKBOOK_RELS] = rels.encode()
    parts[TYPES] = parts[TYPES].decode().replace("/xl/worksheets/sheet1.xml", "/" + part).encode()
    return parts


@pytest.mark.parametrize(
    ("part", "target"),
    [
        ("xl/payload.bin", None),
        ("xl/data/Sheet One.xml", "data/Sheet%20One.xml"),
        ("xl/Odd/SHEET.xml", "odd/sheet.xml"),
    ],
)
def test_a_worksheet_under_any_part_name_is_scanned(tmp_path: Path, part: str, target: str | None) -> None:
    parts = moved_sheet(part, target)
    far = parts[part].decode().replace("</sheetData>", '<row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>')
    issue = preflight(written(tmp_path, {**parts, part: far.encode()}), LIMITS)
    assert issue == FileIssue("file.too_large", "cell A900000 in sheet kpi")


def test_a_dtd_in_a_worksheet_with_an_odd_name_is_refused(tmp_path: Path) -> None:
    parts = moved_sheet("xl/payload.bin")
    parts["xl/payload.bin"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + parts["xl/payload.bin"]
    issue = preflight(written(tmp_path, parts), LIMITS)
    assert issue == FileIssue("file.unsafe", "<!DOCTYPE> in xl/payload.bin")


def test_a_worksheet_no_relationship_names_is_still_scanned_by_its_root_element(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    far = parts[SHEET].decode().replace("</sheetData>", '<row r="900000"><c r="A900000"><v>1</v></c></row></sheetData>')
    parts["xl/hidden.dat"] = far.encode()
    issue = preflight(written(tmp_path, parts), LIMITS)
    assert issue == FileIssue("file.too_large", "cell A900000 in sheet xl/hidden.dat")


def test_a_whole_sheet_merge_is_refused_by_the_preflight_before_any_parser(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"  # bench/hostile.py times the same bomb (merged_whole_sheet) through a sweep
    path.write_bytes(book_bytes(merge="A1:XFD1048576"))
    assert path.stat().st_size < 30_000
    assert preflight(path, LIMITS) == FileIssue("file.too_large", "merged range A1:XFD1048576 in sheet kpi")


def test_merges_count_together_against_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    path.write_bytes(book_bytes(merge="A5:C8"))  # 12 cells
    assert preflight(path, ReadLimits(max_merged_cells=12)) is None
    assert preflight(path, ReadLimits(max_merged_cells=11)) == FileIssue(
        "file.too_large", "merged range A5:C8 in sheet kpi"
    )


def test_a_title_merged_across_a_whole_row_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "title.xlsx"
    path.write_bytes(book_bytes(merge="A1:XFD1"))  # selecting row 1 and pressing Merge & Center
    scanned = preflight_scan(path, LIMITS)
    assert isinstance(scanned, dict) and scanned["kpi"].merged_ranges == ("A1:XFD1",)


def test_the_corpus_external_link_is_accepted_with_its_warning(tmp_path: Path) -> None:
    case = make_case("external_link", tmp_path)
    with IsolatedReader() as reader:
        result = judge_file(reader, tmp_path / case.file_name)
    assert result.status == "accepted_with_warnings"
    assert [(p.rule, p.severity, p.cell) for p in result.problems] == [("workbook.external_link", "warning", None)]
    assert "plan.xlsx" in result.problems[0].message


def test_a_dtd_in_any_part_the_workbook_relates_is_refused_whatever_its_suffix(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/strings.dat"] = b'<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst xmlns="x"/>'
    with_relationship(parts, WORKBOOK_RELS, f"{REL}/sharedStrings", "strings.dat")
    assert preflight(written(tmp_path, parts), LIMITS) == FileIssue("file.unsafe", "<!DOCTYPE> in xl/strings.dat")


def test_a_picture_that_happens_to_be_svg_with_a_doctype_is_left_alone(tmp_path: Path) -> None:
    # Office keeps an inserted SVG as it was; no reader of ours parses it, so its DTD is not our business.
    parts = entries(book_bytes())
    parts["xl/media/image1.svg"] = b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>'
    assert preflight(written(tmp_path, parts), LIMITS) is None


def test_a_merge_written_before_the_cells_is_counted_too(tmp_path: Path) -> None:
    # Excel writes <mergeCells> after <sheetData>; openpyxl reads it anywhere, so the scan must as well.
    parts = entries(book_bytes())
    xml = (
        parts[SHEET]
        .decode()
        .replace("<sheetData>", '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells><sheetData>')
    )
    issue = preflight(written(tmp_path, {**parts, SHEET: xml.encode()}), LIMITS)
    assert issue == FileIssue("file.too_large", "merged range A1:XFD1048576 in sheet kpi")


def test_a_relationship_part_beyond_any_real_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    padding = b"<!-- " + b" " * (65 * 2**20) + b" -->"
    parts[WORKBOOK_RELS] = parts[WORKBOOK_RELS].replace(b"<Relationships", padding + b"<Relationships", 1)
    issue = preflight(written(tmp_path, parts), ReadLimits(max_ratio=1e9))
    assert issue == FileIssue("file.unsafe", "xl/_rels/workbook.xml.rels expands to 65 MB")


def test_a_workbook_part_beyond_any_real_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    parts = entries(book_bytes())
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbook", b"<!--" + b" " * (65 * 2**20) + b"--><workbook", 1
    )
    issue = preflight(written(tmp_path, parts), ReadLimits(max_ratio=1e9))
    assert issue == FileIssue("file.unsafe", "xl/workbook.xml expands to 65 MB")
