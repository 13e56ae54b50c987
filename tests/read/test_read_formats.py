"""detect_format: the real format from the bytes, whatever the file is called."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from tasks.read import detect_format
from tasks.read.formats import OLE_MAGIC

CONTENT_TYPES = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return out.getvalue()


def with_entry(data: bytes, name: str, payload: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    return zip_bytes({**{n: source.read(n) for n in source.namelist()}, name: payload})


def encrypted_bytes(tmp_path: Path) -> bytes:
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(xlsx_bytes())
    out = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("secret", out)
    return out.getvalue()


def renamed_streams(ole: bytes, old: str, new: str) -> bytes:
    """Rename an OLE directory entry in place: turns an encrypted package into a BIFF-looking .xls."""
    name = old.encode("utf-16-le")
    start = ole.index(name)
    entry = new.encode("utf-16-le").ljust(64, b"\0") + (len(new) * 2 + 2).to_bytes(2, "little")
    return ole[:start] + entry + ole[start + 66 :]


def test_xlsx_written_by_openpyxl() -> None:
    assert detect_format(xlsx_bytes()) == "xlsx"


def test_xlsm_has_a_vba_project() -> None:
    assert detect_format(with_entry(xlsx_bytes(), "xl/vbaProject.bin", b"\0" * 64)) == "xlsm"


def test_xlsb_has_a_binary_workbook() -> None:
    assert detect_format(zip_bytes({"[Content_Types].xml": CONTENT_TYPES.encode(), "xl/workbook.bin": b"\1"})) == "xlsb"


def test_ods_from_its_mimetype_even_from_a_prefix() -> None:
    ods = zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>" * 500},
        stored_first="mimetype",
    )
    assert detect_format(ods) == "ods"
    assert detect_format(ods[:120]) == "ods"


def test_other_zip_is_not_a_workbook() -> None:
    assert detect_format(zip_bytes({"readme.txt": b"hello"})) == "zip"


def test_encrypted_ooxml_and_xls(tmp_path: Path) -> None:
    encrypted = encrypted_bytes(tmp_path)
    assert detect_format(encrypted) == "ole-encrypted"
    assert detect_format(renamed_streams(encrypted, "EncryptedPackage", "Workbook")) == "xls"
    assert detect_format(OLE_MAGIC + b"\0" * 504) == "xls"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        ("project_id;title\nAGRO-2026-001;Теплица\n".encode(), "csv/text"),
        ("код;название\n".encode("cp1251"), "csv/text"),
        ("a,b\n".encode("utf-16"), "csv/text"),
        (b"", "empty"),
        (b"\x7fELF\x02\x01\x01\0\0\0", "unknown"),
    ],
)
def test_magic_bytes(head: bytes, expected: str) -> None:
    assert detect_format(head) == expected
