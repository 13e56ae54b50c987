"""What a workbook package carries besides cells: macros, embedded objects and links to other files.

Found by content type and relationship type, never by part name: a VBA project stored as `xl/logo.png`
is still a VBA project to Excel. Read from `[Content_Types].xml` and every `.rels` part with regexes
(no XML parser, so a DTD in them expands nothing; the full scan refuses DTDs afterwards).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from urllib.parse import unquote

from tasks.read.model import FILE_EMBEDDED_OBJECT, FILE_MACROS, FILE_UNSAFE, WORKBOOK_EXTERNAL_LINK, FileIssue
from tasks.read.xmlscan import elements, utf8_chunks

MACROS, EMBEDDED, EXTERNAL = "macros", "embedded", "external"
# Last segment of a relationship type URI (transitional and strict namespaces share it), lower-cased → what it brings.
_RELATIONSHIPS = {
    "vbaproject": MACROS,
    "vbaprojectsignature": MACROS,
    "xlmacrosheet": MACROS,  # Excel 4.0 (XLM) macro sheets: no VBA project, still macros
    "xlintlmacrosheet": MACROS,
    "oleobject": EMBEDDED,
    "package": EMBEDDED,  # an embedded Office document
    "activexcontrol": EMBEDDED,
    "activexcontrolbinary": EMBEDDED,
    "externallink": EXTERNAL,
}
_CONTENT_TYPES = {
    "application/vnd.ms-office.vbaproject": MACROS,
    "application/vnd.ms-office.vbaprojectsignature": MACROS,
    "application/vnd.ms-excel.macrosheet+xml": MACROS,
    "application/vnd.ms-excel.intlmacrosheet+xml": MACROS,
    "application/vnd.openxmlformats-officedocument.oleobject": EMBEDDED,
    "application/vnd.ms-office.activex+xml": EMBEDDED,
    "application/vnd.ms-office.activex": EMBEDDED,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.externallink+xml": EXTERNAL,
}
_FOLDERS = {"embeddings": EMBEDDED, "activex": EMBEDDED, "externallinks": EXTERNAL}
_LINK_PATHS = {"externallinkpath", "xlexternallinkpath"}  # the other file an externalLink part names
MAX_SHOWN = 3  # part names listed in a finding
MAX_METADATA_BYTES = 64 * 2**20  # 100,000 hyperlinks make a 15 MB .rels part
TYPES = "[Content_Types].xml"


def package_findings(archive: zipfile.ZipFile) -> tuple[FileIssue | None, tuple[FileIssue, ...]]:
    """(a refusal for macros or embedded objects, warnings for external links) from the package's metadata."""
    found: dict[str, list[str]] = {MACROS: [], EMBEDDED: [], EXTERNAL: []}
    names = archive.namelist()
    oversized = _oversized_metadata(archive)
    if oversized:
        return oversized, ()
    for part, kind in [*_typed_parts(archive, names), *_folder_parts(names)]:
        found[kind].append(part)
    linked: list[str] = []
    for name in names:
        if name.lower().endswith(".rels"):
            for part, kind in _related_parts(archive, name, linked):
                found[kind].append(part)
    if found[MACROS]:
        return FileIssue(FILE_MACROS, _shown(found[MACROS])), ()
    if found[EMBEDDED]:
        return FileIssue(FILE_EMBEDDED_OBJECT, _shown(found[EMBEDDED])), ()
    links = linked or found[EXTERNAL]
    return None, (FileIssue(WORKBOOK_EXTERNAL_LINK, _shown(links)),) if links else ()


def _oversized_metadata(archive: zipfile.ZipFile) -> FileIssue | None:
    """Relationship and content-type parts are read whole in this process: one far beyond any real file is refused."""
    for info in archive.infolist():
        name = info.filename
        if (name.lower().endswith(".rels") or name == TYPES) and info.file_size > MAX_METADATA_BYTES:
            return FileIssue(FILE_UNSAFE, f"{name} expands to {info.file_size // 2**20} MB")
    return None


def _text(archive: zipfile.ZipFile, name: str) -> str:
    """A metadata part as text (UTF-16 re-encoded), at most MAX_METADATA_BYTES."""
    return b"".join(utf8_chunks([archive.read(name)])).decode("utf-8", "replace")


def _typed_parts(archive: zipfile.ZipFile, names: list[str]) -> list[tuple[str, str]]:
    """Parts whose content type (an Override, or a Default for their extension) is active content."""
    if TYPES not in names:
        return []
    types = _text(archive, TYPES)
    overrides = {
        override.get("PartName", "").lstrip("/").lower(): override.get("ContentType", "")
        for override in elements(types, "Override")
    }
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in elements(types, "Default")}
    found = []
    for name in names:
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        content_type = overrides.get(name.lower()) or defaults.get(extension, "")
        kind = _CONTENT_TYPES.get(content_type.strip().lower())
        if kind:
            found.append((name, kind))
    return found


def _folder_parts(names: list[str]) -> list[tuple[str, str]]:
    """Parts in the folders Excel keeps embeddings, ActiveX controls and external links in."""
    found = []
    for name in names:
        folders = name.lower().split("/")[:-1]
        kind = next((_FOLDERS[f] for f in folders if f in _FOLDERS), None)
        if kind:
            found.append((name, kind))
    return found


def _related_parts(archive: zipfile.ZipFile, rels: str, linked: list[str]) -> list[tuple[str, str]]:
    """Targets of active-content relationships in one `.rels` part; linked files' names go to `linked`."""
    found = []
    for rel in elements(_text(archive, rels), "Relationship"):
        kind_name = rel.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower()
        target = rel.get("Target", "")
        if kind_name in _LINK_PATHS:
            linked.append(_file_name(target))
        elif kind_name in _RELATIONSHIPS:
            part = target if rel.get("TargetMode") == "External" else _resolved(rels, target)
            found.append((part, _RELATIONSHIPS[kind_name]))
    return found


def _resolved(rels: str, target: str) -> str:
    """`xl/_rels/workbook.xml.rels` + `../x/y.bin` → `x/y.bin` (the part the relationship points at)."""
    if target.startswith("/"):
        return target.lstrip("/")
    owner_folder = posixpath.dirname(posixpath.dirname(rels))
    return posixpath.normpath(posixpath.join(owner_folder, unquote(target)))


def _file_name(target: str) -> str:
    """The last segment of a link target (`file:///C:/Budgets/plan.xlsx` → `plan.xlsx`), at most 100 characters."""
    name = re.split(r"[/\\]", unquote(target).rstrip("/\\"))[-1]
    return name[:100] or "?"


def _shown(parts: list[str]) -> str:
    unique = list(dict.fromkeys(parts))
    more = f" (+{len(unique) - MAX_SHOWN})" if len(unique) > MAX_SHOWN else ""
    return ", ".join(unique[:MAX_SHOWN]) + more
