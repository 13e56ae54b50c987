"""Cheap checks before any parse: size, real format, zip directory (bombs), DTDs and true sheet extents."""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from council.problems import column_letter
from tasks.read.formats import FORMAT_NAMES, ZIP_MAGICS, detect_format, zip_format
from tasks.read.model import (
    FILE_CORRUPT,
    FILE_ENCRYPTED,
    FILE_FORMAT,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    FILE_UNSAFE,
    FileIssue,
    ReadLimits,
    SheetQuirks,
)
from tasks.read.package import MAX_METADATA_BYTES, package_findings
from tasks.read.quirkscan import QuirkScan
from tasks.read.xmlscan import HEAD_CHARS, ExtentScan, prolog_issue, relationship_targets, sheet_parts, utf8_chunks

CHUNK = 1 << 20
RATIO_FLOOR = 1 << 20  # tiny parts (styles, rels) compress far beyond 100x legitimately
XML_SUFFIXES = (".xml", ".rels", ".vml")
_EOCD = b"PK\x05\x06"
_WORKSHEET_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?worksheet[\s/>]")
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, KeyError)


class PreflightTimeout(Exception):
    """The streaming checks overran the read timeout (a slow-to-scan file: many tags without `r`)."""


def preflight(path: Path, limits: ReadLimits) -> FileIssue | None:
    """Refuse what must not reach a parser; None means the file may be read (in isolation)."""
    scanned = preflight_scan(path, limits)
    return scanned if isinstance(scanned, FileIssue) else None


def preflight_scan(path: Path, limits: ReadLimits) -> FileIssue | dict[str, SheetQuirks]:
    """The preflight, also returning what the same pass saw in each sheet that readers hide (by sheet name)."""
    opened = open_checked(path, limits)
    return opened if isinstance(opened, FileIssue) else opened.scan()


@dataclass(frozen=True)
class CheckedZip:
    """A file whose zip directory passed (format, entry count, sizes, ratios); its XML parts are not yet scanned.

    The scan is the slow half (every part inflated and walked); splitting it off lets the reader run it while
    the isolated child parses the same file, and throw the parse away if the scan refuses the file.
    """

    data: bytes
    sheets: dict[str, str]  # worksheet part → sheet name
    limits: ReadLimits
    parsed: frozenset[str] = frozenset()  # every part the workbook's relationships point at (styles, strings, ...)
    findings: tuple[FileIssue, ...] = ()  # warnings for a file that may be read (an external link)

    def scan(self) -> FileIssue | dict[str, SheetQuirks]:
        """DTDs, true sheet extents and CRCs of every part, plus the quirks of each worksheet."""
        quirks: dict[str, SheetQuirks] = {}
        deadline = time.monotonic() + self.limits.timeout_s
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                for info in archive.infolist():
                    issue = _entry_issue(archive, info, self, deadline, quirks)
                    if issue:
                        return issue
        except PreflightTimeout:
            return FileIssue(FILE_UNREADABLE, f"safety checks timed out after {self.limits.timeout_s:g} s")
        except _ZIP_ERRORS as error:
            return FileIssue(FILE_CORRUPT, f"damaged zip: {_short(error)}")
        except RuntimeError as error:  # zipfile: "File ... is encrypted, password required"
            return FileIssue(FILE_ENCRYPTED, f"zip-level encryption: {_short(error)}")
        return quirks


def open_checked(path: Path, limits: ReadLimits) -> FileIssue | CheckedZip:
    """The cheap half of the preflight: size, real format and the zip directory (milliseconds, nothing inflated)."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return FileIssue(FILE_TOO_LARGE, f"file is {_mb(size)}")
        data = path.read_bytes()
    except OSError as error:
        return FileIssue(FILE_CORRUPT, f"cannot open the file ({error.strerror or type(error).__name__})")
    if not data.startswith(ZIP_MAGICS):
        return _not_a_zip(detect_format(data))
    try:
        checked = _check_directory(data, limits)
    except _ZIP_ERRORS as error:
        return FileIssue(FILE_CORRUPT, f"damaged zip: {_short(error)}")
    except RuntimeError as error:
        return FileIssue(FILE_ENCRYPTED, f"zip-level encryption: {_short(error)}")
    return checked


def _not_a_zip(kind: str) -> FileIssue:
    """Every non-zip outcome is a refusal; only its rule differs."""
    found = FORMAT_NAMES.get(kind, kind)
    if kind == "ole-encrypted":
        return FileIssue(FILE_ENCRYPTED, found)
    return FileIssue(FILE_CORRUPT if kind == "empty" else FILE_FORMAT, found)


def _check_directory(data: bytes, limits: ReadLimits) -> FileIssue | CheckedZip:
    """Entry count, format, bombs, active content and the worksheet map, from the directory and small parts alone."""
    issue = _entry_count_issue(data, limits)
    if issue:
        return issue
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kind = zip_format(archive.namelist(), lambda name: _peek(archive, name))
        if kind != "xlsx":
            return FileIssue(FILE_FORMAT, FORMAT_NAMES.get(kind, kind))
        issue = _directory_issue(archive.infolist(), limits)
        if issue:
            return issue
        refusal, findings = package_findings(archive)
        mapped = refusal or _sheet_map(archive)
        if isinstance(mapped, FileIssue):
            return mapped
        sheets, parsed = mapped
        return CheckedZip(data, sheets, limits, parsed, findings)


def _entry_count_issue(data: bytes, limits: ReadLimits) -> FileIssue | None:
    """Read the entry count from the end record before zipfile builds one object per entry."""
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return FileIssue(FILE_CORRUPT, "no zip directory at the end of the file (truncated?)")
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    if count > limits.max_entries:
        return FileIssue(FILE_UNSAFE, f"zip holds {count} entries (limit {limits.max_entries})")
    return None


def _directory_issue(infos: list[zipfile.ZipInfo], limits: ReadLimits) -> FileIssue | None:
    """Zip bombs, duplicate names and exotic compression, from the central directory alone."""
    names: set[str] = set()
    for info in infos:
        if info.filename in names:
            return FileIssue(FILE_UNSAFE, f"duplicate zip entry {info.filename}")
        names.add(info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return FileIssue(FILE_CORRUPT, f"zip entry {info.filename} uses compression method {info.compress_type}")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            return FileIssue(FILE_UNSAFE, f"zip entry {info.filename} expands {ratio:.0f}x")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        return FileIssue(FILE_TOO_LARGE, f"workbook expands to {_mb(total)}")
    return None


def _sheet_map(archive: zipfile.ZipFile) -> tuple[dict[str, str], frozenset[str]] | FileIssue:
    """(worksheet entry → sheet name, every entry the workbook's rels point at), via _rels/.rels → workbook.xml.

    Targets are matched to entries as OPC names them: percent-encoded and case-insensitive.
    """
    root = _small_part(archive, "_rels/.rels")
    if isinstance(root, FileIssue):
        return root
    targets = relationship_targets(root, "").values()
    workbook = next((t for t in targets if t.lower().endswith("workbook.xml")), "xl/workbook.xml")
    rels = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    parts = _small_part(archive, workbook), _small_part(archive, rels)
    issue = next((part for part in parts if isinstance(part, FileIssue)), None)
    if issue:
        return issue
    entry = _entry_names(archive.namelist())
    sheets = {entry(part): name for part, name in sheet_parts(str(parts[0]), str(parts[1]), workbook).items()}
    related = relationship_targets(str(parts[1]), posixpath.dirname(workbook)).values()
    return sheets, frozenset(entry(part) for part in related)


def _entry_names(names: list[str]) -> Callable[[str], str]:
    """A relationship target → the zip entry it names (`worksheets/My%20Sheet.xml` → `xl/worksheets/my sheet.xml`)."""
    exact, folded = set(names), {name.lower(): name for name in names}

    def entry(target: str) -> str:
        if target in exact:
            return target
        decoded = unquote(target)
        return decoded if decoded in exact else folded.get(decoded.lower(), target)

    return entry


def _small_part(archive: zipfile.ZipFile, name: str) -> str | FileIssue:
    """A directory part decoded whole (up to MAX_METADATA_BYTES, read in this process); "" when absent."""
    if name not in archive.namelist():
        return ""
    size = archive.getinfo(name).file_size
    if size > MAX_METADATA_BYTES:
        return FileIssue(FILE_UNSAFE, f"{name} expands to {size // 2**20} MB")
    text = b"".join(utf8_chunks([archive.read(name)])).decode("utf-8", "replace")
    issue = prolog_issue(text[:HEAD_CHARS], len(text) <= HEAD_CHARS)
    return FileIssue(FILE_UNSAFE, f"{issue} in {name}") if issue else text


def _entry_issue(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    checked: CheckedZip,
    deadline: float,
    quirks: dict[str, SheetQuirks],
) -> FileIssue | None:
    """Inflate one entry (zipfile checks the CRC at its end); XML parts get the DTD and extent checks.

    A worksheet is known by its relationships or by its root element, whatever its part is called: a reader
    follows the relationships, so `xl/data.bin` holding `<worksheet>` is a sheet to scan like any other.
    """
    name, sheets = info.filename, checked.sheets
    chunks = utf8_chunks(_chunks(archive, info, deadline))
    first = next(chunks, b"")
    chunks = itertools.chain([first], chunks)
    is_sheet = name in sheets or _looks_like_sheet(name, sheets) or _WORKSHEET_ROOT.search(first, 0, HEAD_CHARS)
    if not is_sheet:
        if name.lower().endswith(XML_SUFFIXES) or name in checked.parsed:
            return _xml_issue(name, chunks, None, name)
        for _ in chunks:
            pass
        return None
    sheet, quirk_scan = sheets.get(name, name), QuirkScan()
    scan = ExtentScan(checked.limits.max_rows, checked.limits.max_columns)
    issue = _xml_issue(name, _observed(chunks, quirk_scan.feed), scan, sheet)
    if issue is None:
        quirks[sheet] = quirk_scan.finish()
        issue = _merge_issue(quirk_scan, sheet, checked.limits)
    return issue


def _merge_issue(quirk_scan: QuirkScan, sheet: str, limits: ReadLimits) -> FileIssue | None:
    """Merged ranges covering more cells than an editor can hold (openpyxl makes an object of each)."""
    if quirk_scan.merged_cells <= limits.max_merged_cells:
        return None
    return FileIssue(FILE_TOO_LARGE, f"merged range {quirk_scan.largest_merge} in sheet {sheet}")


def _observed(chunks: Iterator[bytes], observe: Callable[[bytes], None]) -> Iterator[bytes]:
    """Pass each chunk on after showing it to `observe`: two scans, one inflate."""
    for chunk in chunks:
        observe(chunk)
        yield chunk


def _xml_issue(part: str, chunks: Iterator[bytes], scan: ExtentScan | None, sheet: str) -> FileIssue | None:
    """Check the prolog once the first 64 KB (or the whole part) is in, then stream the rest to the scanner."""
    head, checked = b"", False
    for chunk in chunks:
        if checked:
            issue = _scan_issue(part, scan, chunk, sheet)
        else:
            head += chunk
            if len(head) < HEAD_CHARS:
                continue
            checked = True
            issue = _head_issue(part, head, False) or _scan_issue(part, scan, head, sheet)
        if issue:
            return issue
    return None if checked else _head_issue(part, head, True) or _scan_issue(part, scan, head, sheet)


def _head_issue(part: str, head: bytes, complete: bool) -> FileIssue | None:
    issue = prolog_issue(head[:HEAD_CHARS].decode("utf-8", "replace"), complete)
    return FileIssue(FILE_UNSAFE, f"{issue} in {part}") if issue else None


def _scan_issue(part: str, scan: ExtentScan | None, data: bytes, sheet: str) -> FileIssue | None:
    outside = scan.feed(data) if scan else None
    if isinstance(outside, str):
        return FileIssue(FILE_UNSAFE, f"{outside} in {part}")
    if outside:
        row, column = outside
        return FileIssue(FILE_TOO_LARGE, f"cell {column_letter(min(column, 16_384) - 1)}{row} in sheet {sheet}")
    return None


def _looks_like_sheet(name: str, sheets: dict[str, str]) -> bool:
    """When workbook.xml could not be mapped, scan every worksheet-looking part rather than none."""
    return not sheets or "worksheets/" in name.lower()


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, deadline: float) -> Iterator[bytes]:
    with archive.open(info) as entry:
        while chunk := entry.read(CHUNK):
            if time.monotonic() >= deadline:
                raise PreflightTimeout
            yield chunk


def _peek(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as entry:
        return entry.read(128)


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size} bytes"


def _short(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]
