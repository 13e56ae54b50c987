"""Hostile and broken inbox files, built at test time (bombs are never committed): one function per kind.

`python -m tests.hostile.corpus DIR` writes the whole catalogue into DIR for a human to look at.
"""

from __future__ import annotations

import functools
import io
import os
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile

from council.catalog import load_catalog
from tasks.template.workbook import build_workbook
from tests.validate.workbooks import META, ROWS, rows_with, write_report

FORMAT, CORRUPT, ENCRYPTED = "file.format", "file.corrupt", "file.encrypted"
UNSAFE, TOO_LARGE = "file.unsafe", "file.too_large"
SHEET = "xl/worksheets/sheet2.xml"  # projects


@dataclass(frozen=True)
class Case:
    """One hostile file: `expected_rule` is the file-level rule it must be refused with, or None.

    With None, `handling` says what the sweep must do instead: "ignore" it (left alone, never recorded),
    "accept" it (a valid report whatever its name or size), or "survive" it (any content verdict, no crash).
    """

    name: str
    file_name: str
    expected_rule: str | None
    note: str
    handling: str = "refuse"


Maker = Callable[[Path], Case]


# -- helpers -------------------------------------------------------------------------------------------


def valid_report(folder: Path, name: str = "valid.xlsx", rows: dict | None = None) -> Path:
    """A valid AGRO 2026S1 report written by the real template writer (the hostile cases' raw material)."""
    return write_report(folder, rows, name=name)


def valid_bytes(_folder: Path | None = None) -> bytes:
    return _valid_bytes()


@functools.cache
def _valid_bytes() -> bytes:
    return build_workbook(load_catalog(), "AGRO", "2026S1", "kk", ROWS, META)


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(entries: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def rezipped(folder: Path, changes: dict[str, bytes]) -> bytes:
    """The valid report with entries replaced or added, as a hand-crafted hostile file would be."""
    return zip_of({**zip_entries(valid_bytes(folder)), **changes})


def sheet_xml(folder: Path) -> str:
    return zip_entries(valid_bytes(folder))[SHEET].decode()


def put(folder: Path, file_name: str, data: bytes) -> Path:
    path = folder / file_name
    path.write_bytes(data)
    return path


def encrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("secret", out)
    return out.getvalue()


def case(
    folder: Path, name: str, file_name: str, data: bytes, rule: str | None, note: str, how: str = "refuse"
) -> Case:
    put(folder, file_name, data)
    return Case(name, file_name, rule, note, how)


# -- not a workbook at all -----------------------------------------------------------------------------


def plain_text(folder: Path) -> Case:
    return case(folder, "plain_text", "notes.xlsx", "Отчёт будет позже.\n".encode(), FORMAT, "a text note")


def random_binary(folder: Path) -> Case:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    return case(folder, "random_binary", "photo.xlsx", data, FORMAT, "a PNG named .xlsx")


def csv_renamed(folder: Path) -> Case:
    data = "project_id;title;budget\nAGRO-1;Суару;1 000 000,50\n".encode("cp1251")
    return case(folder, "csv_renamed", "export.xlsx", data, FORMAT, "CSV in cp1251 named .xlsx")


def utf16_csv_renamed(folder: Path) -> Case:
    data = "project_id\ttitle\r\nAGRO-1\tСуару\r\n".encode("utf-16")
    return case(folder, "utf16_csv_renamed", "unicode.xlsx", data, FORMAT, "Excel's 'Unicode text' named .xlsx")


def html_as_xls(folder: Path) -> Case:
    data = b"<html><body><table><tr><td>=cmd|' /C calc'!A0</td></tr></table></body></html>"
    return case(folder, "html_as_xls", "report.xlsx", data, FORMAT, "an HTML table saved as a spreadsheet")


def pdf_renamed(folder: Path) -> Case:
    data = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return case(folder, "pdf_renamed", "scan.xlsx", data, FORMAT, "a PDF named .xlsx")


def xls_renamed(folder: Path) -> Case:
    """An OLE2 compound file with a `Workbook` stream: what Excel 97-2003 writes."""
    ole = encrypted(valid_bytes(folder))
    start = ole.index("EncryptedPackage".encode("utf-16-le"))
    entry = "Workbook".encode("utf-16-le").ljust(64, b"\0") + (len("Workbook") * 2 + 2).to_bytes(2, "little")
    data = ole[:start] + entry + ole[start + 66 :]
    return case(folder, "xls_renamed", "old.xlsx", data, FORMAT, "Excel 97-2003 .xls renamed .xlsx")


def ods_renamed(folder: Path) -> Case:
    entries = {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"}
    return case(folder, "ods_renamed", "calc.xlsx", zip_of(entries, ("mimetype",)), FORMAT, "OpenDocument .ods")


def docx_renamed(folder: Path) -> Case:
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    return case(folder, "docx_renamed", "letter.xlsx", zip_of(entries), FORMAT, "a Word document named .xlsx")


def empty_zip(folder: Path) -> Case:
    return case(folder, "empty_zip", "empty.xlsx", zip_of({}), FORMAT, "a zip with no entries (22 bytes)")


def xlsb(folder: Path) -> Case:
    entries = {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00", "_rels/.rels": b"<R/>"}
    return case(folder, "xlsb", "binary.xlsb", zip_of(entries), FORMAT, "Excel binary workbook")


def xlsm_with_macro(folder: Path) -> Case:
    data = rezipped(folder, {"xl/vbaProject.bin": b'\xd0\xcf\x11\xe0Attribute VB_Name = "Module1"\nShell("calc")'})
    return case(folder, "xlsm_with_macro", "macro.xlsm", data, FORMAT, "a valid report carrying a VBA project")


# -- broken copies -------------------------------------------------------------------------------------


def zero_bytes(folder: Path) -> Case:
    return case(folder, "zero_bytes", "empty.xlsx", b"", CORRUPT, "0 bytes")


def truncated(folder: Path) -> Case:
    data = valid_bytes(folder)
    return case(folder, "truncated", "cut.xlsx", data[:-200], CORRUPT, "the last 200 bytes missing")


def half_copied(folder: Path) -> Case:
    data = valid_bytes(folder)
    return case(folder, "half_copied", "half.xlsx", data[: len(data) // 2], CORRUPT, "a copy stopped half-way")


def preallocated_copy(folder: Path) -> Case:
    data = valid_bytes(folder)
    half = len(data) // 2
    data = data[:half] + bytes(len(data) - half)
    return case(folder, "preallocated_copy", "zeros.xlsx", data, CORRUPT, "full size, second half still zeros")


def flipped_bytes(folder: Path) -> Case:
    """Damage inside a compressed worksheet: the directory is fine, the inflate or the CRC is not."""
    data = bytearray(valid_bytes(folder))
    start = data.index(b"PK\x03\x04", data.index(SHEET.encode()) - 64) + 30 + len(SHEET)
    for offset in range(start + 20, start + 60):
        data[offset] ^= 0x5A
    return case(folder, "flipped_bytes", "bitrot.xlsx", bytes(data), CORRUPT, "40 damaged bytes in a sheet")


def lying_zip_header(folder: Path) -> Case:
    """Local header and directory both claim the sheet is 100 bytes; it inflates to far more."""
    data = bytearray(valid_bytes(folder))
    name = SHEET.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        header = _header_for(data, signature, name)
        data[header + size_at : header + size_at + 4] = (100).to_bytes(4, "little")
    return case(folder, "lying_zip_header", "liar.xlsx", bytes(data), CORRUPT, "uncompressed size says 100 bytes")


def _header_for(data: bytearray, signature: bytes, name: bytes) -> int:
    name_at = 30 if signature == b"PK\x03\x04" else 46
    for match in re.finditer(re.escape(signature), data):
        if data[match.start() + name_at : match.start() + name_at + len(name)] == name:
            return match.start()
    raise ValueError(f"no {signature!r} header for {name!r}")


def malformed_sheet_xml(folder: Path) -> Case:
    data = rezipped(folder, {SHEET: b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="s"><v>'})
    return case(folder, "malformed_sheet_xml", "broken.xlsx", data, CORRUPT, "a sheet whose XML stops mid-tag")


def invalid_utf8_sheet(folder: Path) -> Case:
    xml = (
        sheet_xml(folder)
        .encode()
        .replace(
            b"</sheetData>",
            b'<row r="900"><c r="A900" t="inlineStr"><is><t>\xff\xfe\xc0</t></is></c></row></sheetData>',
        )
    )
    data = rezipped(folder, {SHEET: xml})
    return case(folder, "invalid_utf8_sheet", "bytes.xlsx", data, CORRUPT, "invalid UTF-8 in a cell")


def zip_level_encryption(folder: Path) -> Case:
    """The 'encrypted' flag bit set on every entry (traditional PKWARE encryption)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in zip_entries(valid_bytes(folder)).items():
            info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, payload)
    data = bytearray(out.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), data):
            data[match.start() + flags_at] |= 1
    return case(
        folder, "zip_level_encryption", "zipcrypto.xlsx", bytes(data), ENCRYPTED, "zip entries flagged encrypted"
    )


def password_protected(folder: Path) -> Case:
    data = encrypted(valid_bytes(folder))
    return case(folder, "password_protected", "secret.xlsx", data, ENCRYPTED, "Excel 'Encrypt with password'")


# -- bombs and absurd sizes ----------------------------------------------------------------------------


def zip_bomb(folder: Path) -> Case:
    data = rezipped(folder, {"xl/media/image1.bin": bytes(64 * 2**20)})
    return case(folder, "zip_bomb", "bomb.xlsx", data, UNSAFE, "64 MB of zeros in a 64 KB entry")


def shared_string_bomb(folder: Path) -> Case:
    strings = b"<si><t>AAAAAAAAAAAAAAAA</t></si>" * 1_000_000
    xml = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    data = rezipped(folder, {"xl/sharedStrings.xml": xml + strings + b"</sst>"})
    return case(folder, "shared_string_bomb", "sst.xlsx", data, UNSAFE, "a million shared strings, 1000x ratio")


def too_many_entries(folder: Path) -> Case:
    extra = {f"customXml/item{i}.xml": b"<a/>" for i in range(10_001)}
    return case(folder, "too_many_entries", "many.xlsx", rezipped(folder, extra), UNSAFE, "10,001 zip entries")


def billion_laughs(folder: Path) -> Case:
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 10))
    prolog = f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "lol">{entities}]>'
    xml = prolog + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&l9;</t></si></sst>'
    data = rezipped(folder, {"xl/sharedStrings.xml": xml.encode()})
    return case(folder, "billion_laughs", "laughs.xlsx", data, UNSAFE, "<!DOCTYPE> entity expansion")


def xxe(folder: Path) -> Case:
    entries = zip_entries(valid_bytes(folder))
    xml = entries["xl/workbook.xml"].decode()
    body = xml[xml.index("<workbook") :]
    doctype = '<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    data = zip_of({**entries, "xl/workbook.xml": (doctype + body).encode()})
    return case(folder, "xxe", "xxe.xlsx", data, UNSAFE, "external entity reading /etc/passwd")


def far_cell(folder: Path) -> Case:
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    book.active["XFD1048576"] = "y"
    out = io.BytesIO()
    book.save(out)
    return case(folder, "far_cell", "far.xlsx", out.getvalue(), TOO_LARGE, "5 KB, cells at A1 and XFD1048576")


def stray_value_rows(folder: Path) -> Case:
    """The valid report with one stray value on the last row Excel has."""
    row = '<row r="1048576"><c r="B1048576" t="inlineStr"><is><t>.</t></is></c></row>'
    data = rezipped(folder, {SHEET: sheet_xml(folder).replace("</sheetData>", row + "</sheetData>").encode()})
    return case(folder, "stray_value_rows", "stray.xlsx", data, TOO_LARGE, "a '.' at row 1,048,576")


def stray_styled_rows(folder: Path) -> Case:
    """Every row down to 1,048,576 formatted (a whole-column format): no values, so a valid report."""
    xml = sheet_xml(folder)
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    rows = "".join(f'<row r="{r}" s="1" customFormat="1"/>' for r in range(last + 1, 1_048_577))
    data = rezipped(folder, {SHEET: xml.replace("</sheetData>", rows + "</sheetData>").encode()})
    return case(folder, "stray_styled_rows", "styled.xlsx", data, None, "1,048,576 formatted empty rows", "survive")


def over_size_limit(folder: Path) -> Case:
    path = folder / "huge.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(51 * 2**20)  # sparse: cheap to make
    return Case("over_size_limit", "huge.xlsx", TOO_LARGE, "51 MB, over COUNCIL_MAX_FILE_MB=50")


def legitimate_30mb(folder: Path) -> Case:
    """A valid report that is 30 MB because of an embedded photo (incompressible, so no bomb)."""
    data = rezipped(folder, {"xl/media/photo.jpeg": os.urandom(30 * 2**20)})
    return case(folder, "legitimate_30mb", "big but fine.xlsx", data, None, "30 MB valid report", "accept")


# -- awkward content in a valid template ---------------------------------------------------------------


def long_cells(folder: Path) -> Case:
    rows = rows_with(projects={"title": "Ә" * 32_767, "comment": "x" * 32_767})
    path = valid_report(folder, "long.xlsx", rows)
    return Case("long_cells", path.name, None, "32,767-character cells", "survive")


def control_characters(folder: Path) -> Case:
    rows = rows_with(projects={"title": "Суару\x00\x01\x07\x1b[31m\u202etxt.exe\u200b", "comment": "tab\there\r\n"})
    path = valid_report(folder, "control.xlsx", rows)
    return Case("control_characters", path.name, None, "NUL, BEL, ESC, RLO and ZWSP in cells", "survive")


def zip_slip_entry(folder: Path) -> Case:
    data = rezipped(folder, {"../../../../tmp/evil.txt": b"pwned", "/etc/evil.txt": b"pwned"})
    return case(
        folder, "zip_slip_entry", "slip.xlsx", data, None, "entries named ../../ and /etc (never extracted)", "accept"
    )


# -- active content, odd packages and hidden text (issue 10, item 8) ------------------------------------

MACROS, EMBEDDED = "file.macros", "file.embedded_object"
KPI_SHEET = "xl/worksheets/sheet3.xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"\nShell("calc")'.ljust(504, b"\0")


def merged(xml: bytes, ref: str) -> bytes:
    """A sheet's XML with one more merged range, written by hand (openpyxl would build every merged cell)."""
    text = xml.decode()
    if "<mergeCells" in text:
        return re.sub(r"(<mergeCells[^>]*>)", rf'\1<mergeCell ref="{ref}"/>', text, count=1).encode()
    return text.replace(
        "</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    ).encode()


def related(entries: dict[str, bytes], rels: str, rel_type: str, target: str, mode: str = "") -> bytes:
    """A .rels part (new or existing) with one more relationship."""
    empty = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    extra = f' TargetMode="{mode}"' if mode else ""
    added = f'<Relationship Id="rIdHostile" Type="{rel_type}" Target="{target}"{extra}/></Relationships>'
    return entries.get(rels, empty).decode().replace("</Relationships>", added).encode()


def typed(entries: dict[str, bytes], part: str, content_type: str) -> bytes:
    """[Content_Types].xml with an Override for `part`."""
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    return entries["[Content_Types].xml"].decode().replace("</Types>", override).encode()


def merged_whole_sheet(folder: Path) -> Case:
    """27 KB that openpyxl (the annotated copy) would turn into 17 billion merged-cell objects."""
    data = rezipped(folder, {KPI_SHEET: merged(zip_entries(valid_bytes(folder))[KPI_SHEET], "A1:XFD1048576")})
    return case(folder, "merged_whole_sheet", "merged.xlsx", data, TOO_LARGE, "one merged range A1:XFD1048576")


def merge_before_the_cells(folder: Path) -> Case:
    """The same whole-sheet merge written before <sheetData>, where Excel never puts it but openpyxl reads it."""
    xml = zip_entries(valid_bytes(folder))[KPI_SHEET].decode()
    bomb = '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells><sheetData'
    data = rezipped(folder, {KPI_SHEET: xml.replace("<sheetData", bomb, 1).encode()})
    return case(folder, "merge_before_the_cells", "merged first.xlsx", data, TOO_LARGE, "a merge ahead of the cells")


def vba_project_odd_name(folder: Path) -> Case:
    """A VBA project stored as a picture: found by its content type and relationship, not its name."""
    entries = zip_entries(valid_bytes(folder))
    part, vba = "xl/media/image1.png", "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
    changes = {part: OLE_BYTES}
    changes["[Content_Types].xml"] = typed(entries, part, "application/vnd.ms-office.vbaProject")
    changes[WORKBOOK_RELS] = related(entries, WORKBOOK_RELS, vba, "media/image1.png")
    data = rezipped(folder, changes)
    return case(folder, "vba_project_odd_name", "macro.xlsx", data, MACROS, "a VBA project as xl/media/image1.png")


def ole_embedding(folder: Path) -> Case:
    entries = zip_entries(valid_bytes(folder))
    rels = "xl/worksheets/_rels/sheet2.xml.rels"
    changes = {"xl/embeddings/oleObject1.bin": OLE_BYTES}
    changes[rels] = related(entries, rels, f"{REL}/oleObject", "../embeddings/oleObject1.bin")
    data = rezipped(folder, changes)
    return case(folder, "ole_embedding", "embedded.xlsx", data, EMBEDDED, "an OLE object embedded in a sheet")


def external_link(folder: Path) -> Case:
    """Formulas' cached values are read; the link to another file is a warning, never followed."""
    entries = zip_entries(valid_bytes(folder))
    link, link_rels = "xl/externalLinks/externalLink1.xml", "xl/externalLinks/_rels/externalLink1.xml.rels"
    changes = {link: b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'}
    changes[WORKBOOK_RELS] = related(entries, WORKBOOK_RELS, f"{REL}/externalLink", "externalLinks/externalLink1.xml")
    changes[link_rels] = related(
        {}, link_rels, f"{REL}/externalLinkPath", "file:///\\\\server\\share\\plan.xlsx", "External"
    )
    data = rezipped(folder, changes)
    return case(folder, "external_link", "linked.xlsx", data, None, "a link to \\\\server\\share\\plan.xlsx", "accept")


def _renamed_sheet(folder: Path, part: str, xml: bytes | None = None) -> bytes:
    """The valid report with the projects sheet stored as `part`, reached only through the relationships."""
    entries = zip_entries(valid_bytes(folder))
    entries[part] = xml if xml is not None else entries[SHEET]
    del entries[SHEET]
    for name in (WORKBOOK_RELS, "[Content_Types].xml"):
        entries[name] = entries[name].replace(b"worksheets/sheet2.xml", part.removeprefix("xl/").encode())
    return zip_of(entries)


def sheet_part_odd_name(folder: Path) -> Case:
    data = _renamed_sheet(folder, "xl/payload.bin")
    return case(
        folder, "sheet_part_odd_name", "odd.xlsx", data, None, "projects sheet stored as xl/payload.bin", "accept"
    )


def far_cell_in_odd_sheet_part(folder: Path) -> Case:
    far = sheet_xml(folder).replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    data = _renamed_sheet(folder, "xl/data/payload.bin", far.encode())
    return case(
        folder, "far_cell_in_odd_sheet_part", "odd far.xlsx", data, TOO_LARGE, "XFD1048576 in xl/data/payload.bin"
    )


def malformed_doc_props(folder: Path) -> Case:
    """docProps that are not XML, in a report with a cell warning: the annotated copy must still be made."""
    path = valid_report(folder, "props.xlsx", rows_with(projects={"title": "Суару\u202e жүйесі"}))
    entries = zip_entries(path.read_bytes())
    entries["docProps/core.xml"] = b"<cp:coreProperties><dcterms:created>yesterday</oops>"
    entries["docProps/app.xml"] = b"\xff\xfe not xml at all"
    path.write_bytes(zip_of(entries))
    return Case("malformed_doc_props", path.name, None, "docProps that are not XML", "accept")


def problem_cell_inside_merge(folder: Path) -> Case:
    """A warning at kpi!H4 inside a merge H3:H4: the annotated copy marks H3, the merge's top-left cell."""
    rows = rows_with()
    rows["kpi"][1]["comment"] = "Бағалау\u202e"  # the second data row, Excel row 4
    path = valid_report(folder, "merge.xlsx", rows)
    entries = zip_entries(path.read_bytes())
    entries[KPI_SHEET] = merged(entries[KPI_SHEET], "H3:H4")
    path.write_bytes(zip_of(entries))
    return Case("problem_cell_inside_merge", path.name, None, "a problem cell inside a merged range", "survive")


def bidi_and_zero_width_text(folder: Path) -> Case:
    rows = rows_with(
        projects={"title": "Суару\u202eexe.gpj\u2066 жүйесі\u200b", "partner_name": "ЖШС\u200d «Агро\u2060»"}
    )
    path = valid_report(folder, "bidi.xlsx", rows)
    return Case(
        "bidi_and_zero_width_text", path.name, None, "RLO, isolates and zero-width characters in text", "accept"
    )


# -- names and odd directory entries -------------------------------------------------------------------


def _named(folder: Path, name: str, file_name: str, note: str) -> Case:
    put(folder, file_name, valid_bytes(folder))
    return Case(name, file_name, None, note, "accept")


def name_with_spaces(folder: Path) -> Case:
    return _named(folder, "name_with_spaces", "  report  2026 S1 (final) .xlsx", "spaces, also leading and trailing")


def name_cyrillic(folder: Path) -> Case:
    return _named(folder, "name_cyrillic", "Отчёт АГРО 2026 — итог.xlsx", "Cyrillic and an em dash")


def name_with_newline(folder: Path) -> Case:
    return _named(folder, "name_with_newline", "report\nline2\r.xlsx", "newline and carriage return")


def name_dot_dot(folder: Path) -> Case:
    return _named(folder, "name_dot_dot", "..evil.xlsx", "starts with '..'")


def name_only_dots(folder: Path) -> Case:
    return _named(folder, "name_only_dots", "...", "a name of three dots")


def name_leading_dash(folder: Path) -> Case:
    return _named(folder, "name_leading_dash", "-rf --help.xlsx", "a leading '-' (an option to many tools)")


def name_without_extension(folder: Path) -> Case:
    return _named(folder, "name_without_extension", "report", "no extension at all")


def name_very_long(folder: Path) -> Case:
    return _named(folder, "name_very_long", "Ж" * 120 + ".xlsx", "250 bytes, the filesystem's limit")


def name_not_utf8(folder: Path) -> Case:
    """A name in cp1251 bytes (from a zip made on Windows): Python sees lone surrogates."""
    file_name = os.fsdecode("Отчёт".encode("cp1251") + b".xlsx")
    return _named(folder, "name_not_utf8", file_name, "file name bytes that are not UTF-8")


def name_with_shell_chars(folder: Path) -> Case:
    return _named(folder, "name_with_shell_chars", "$(reboot);`id`|x&y'\"<b>.xlsx", "shell and HTML metacharacters")


def excel_lock_file(folder: Path) -> Case:
    put(folder, "~$report.xlsx", b"\x0bAigul      " + bytes(150))
    return Case("excel_lock_file", "~$report.xlsx", None, "Excel's owner file while a workbook is open", "ignore")


def libreoffice_lock_file(folder: Path) -> Case:
    put(folder, ".~lock.report.xlsx#", b"Aigul,aigul,PC,20.07.2026 09:00,file:///C:/Users;")
    return Case("libreoffice_lock_file", ".~lock.report.xlsx#", None, "LibreOffice's lock file", "ignore")


def directory_named_xlsx(folder: Path) -> Case:
    (folder / "folder.xlsx").mkdir()
    (folder / "folder.xlsx" / "inner.xlsx").write_bytes(b"PK")
    return Case("directory_named_xlsx", "folder.xlsx", None, "a directory called .xlsx", "ignore")


def symlink_out(folder: Path) -> Case:
    (folder / "link.xlsx").symlink_to("/etc/passwd")
    return Case("symlink_out", "link.xlsx", None, "a symlink to /etc/passwd", "ignore")


def fifo(folder: Path) -> Case:
    os.mkfifo(folder / "pipe.xlsx")
    return Case("fifo", "pipe.xlsx", None, "a named pipe (reading it would block forever)", "ignore")


MAKERS: tuple[Maker, ...] = (
    plain_text, random_binary, csv_renamed, utf16_csv_renamed, html_as_xls, pdf_renamed, xls_renamed,
    ods_renamed, docx_renamed, empty_zip, xlsb, xlsm_with_macro,
    zero_bytes, truncated, half_copied, preallocated_copy, flipped_bytes, lying_zip_header, malformed_sheet_xml,
    invalid_utf8_sheet, zip_level_encryption, password_protected,
    zip_bomb, shared_string_bomb, too_many_entries, billion_laughs, xxe, far_cell, stray_value_rows,
    stray_styled_rows, over_size_limit, legitimate_30mb,
    long_cells, control_characters, zip_slip_entry,
    merged_whole_sheet, merge_before_the_cells, vba_project_odd_name, ole_embedding, external_link, sheet_part_odd_name,
    far_cell_in_odd_sheet_part, malformed_doc_props, problem_cell_inside_merge, bidi_and_zero_width_text,
    name_with_spaces, name_cyrillic, name_with_newline, name_dot_dot, name_only_dots, name_leading_dash,
    name_without_extension, name_very_long, name_not_utf8, name_with_shell_chars,
    excel_lock_file, libreoffice_lock_file, directory_named_xlsx, symlink_out, fifo,
)  # fmt: skip


def make_case(kind: str, folder: Path) -> Case:
    """Write one kind's file into `folder` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {maker.__name__: maker for maker in MAKERS}[kind](folder)


def make_corpus(folder: Path) -> list[Case]:
    """Every kind, each in its own subfolder of `folder` (some share a file name)."""
    return [make_case(maker.__name__, folder / maker.__name__) for maker in MAKERS]


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "hostile-corpus")
    for item in make_corpus(target):
        print(f"{item.name:24} {item.expected_rule or item.handling:16} {item.file_name!r:40} {item.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
