"""What a file really is, from its bytes (never its name): magic numbers, then the zip or OLE directory."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import olefile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# The `found` detail for a refused format (English; the rule message around it is translated).
FORMAT_NAMES = {
    "xlsm": "macro-enabled workbook (.xlsm)",
    "xlsb": "Excel binary workbook (.xlsb)",
    "xls": "Excel 97-2003 .xls",
    "ods": "OpenDocument .ods",
    "zip": "ZIP archive that is not an Excel workbook",
    "pdf": "PDF document",
    "csv/text": "text or CSV file",
    "unknown": "unrecognised binary file",
    "ole-encrypted": "password-protected workbook",
    "empty": "empty file (0 bytes)",
}

# Local file header: signature, then fixed fields up to the name length at offset 26.
_LOCAL_HEADER = re.compile(rb"PK\x03\x04.{22}(..)(..)", re.S)
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def detect_format(head: bytes) -> str:
    """Classify content from its first bytes; for a zip or OLE file pass the whole file for a sure answer."""
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return zip_format(_zip_names(head), lambda name: _zip_peek(head, name))
    if head.startswith(OLE_MAGIC):
        return _ole_format(head)
    if head.startswith(b"%PDF-"):
        return "pdf"
    return "csv/text" if _looks_like_text(head[:8192]) else "unknown"


def zip_format(names: list[str], peek: Callable[[str], bytes]) -> str:
    """Classify a zip by its entry names; `peek(name)` returns the first bytes of an entry."""
    lower = {name.lower() for name in names}
    if "mimetype" in lower and peek("mimetype").startswith(ODS_MIMETYPE):
        return "ods"
    if "[content_types].xml" not in lower:
        return "zip"
    if any(name.endswith("/workbook.bin") for name in lower):
        return "xlsb"
    if any(name.endswith("vbaproject.bin") for name in lower):
        return "xlsm"
    return "xlsx" if any(name.endswith("/workbook.xml") for name in lower) else "zip"


def _zip_names(data: bytes) -> list[str]:
    """Entry names from the central directory, or from local headers when the head is only a prefix."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        names = []
        for match in _LOCAL_HEADER.finditer(data):
            size = int.from_bytes(match.group(1), "little")
            names.append(data[match.end() : match.end() + size].decode("utf-8", "replace"))
        return names


def _zip_peek(data: bytes, name: str) -> bytes:
    """The first bytes of an entry, or b"" when the zip cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(name) as entry:
            return entry.read(128)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError):
        # ODF writes `mimetype` first and uncompressed, so a bare prefix still shows it.
        start = data.find(b"mimetype")
        return data[start + 8 : start + 8 + 128] if start >= 0 else b""


def _ole_format(data: bytes) -> str:
    """An OLE2 container is either an encrypted OOXML package, a BIFF .xls, or something else."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(path).lower() for path in ole.listdir()}
    except (OSError, ValueError, IndexError):
        # A damaged or partial compound file in a spreadsheet inbox is almost always an old .xls.
        return "xls"
    if {"encryptioninfo", "encryptedpackage"} <= streams:
        return "ole-encrypted"
    return "xls" if streams & {"workbook", "book"} else "unknown"


def _looks_like_text(sample: bytes) -> bool:
    """Text (CSV, HTML saved as .xls, ...) has no control bytes; UTF-16 text announces itself with a BOM."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return _CONTROL.search(sample) is None
