"""Streaming checks on the XML parts of a workbook: no DTDs, and the true extent of each worksheet."""

from __future__ import annotations

import codecs
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape

HEAD_CHARS = 64 * 1024
MAX_TAG_BYTES = 64 * 1024
HUGE = 10**9

_PROLOG_SKIP = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DECLARATION = re.compile(r"<!(DOCTYPE|ENTITY)", re.I)
# Exact walk: `<row ...>` and `<c ...>` with any namespace prefix (Open XML SDK writes `<x:c>`); not `<c:chart>`.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']\$?([A-Za-z]*)\$?(\d*)["']""")
# Fast path, when every row and cell tag is unprefixed with `r` first (as Excel, LibreOffice, openpyxl and
# xlsxwriter write them): searches that find nothing create no Python objects.
_PREFIXED = re.compile(rb":(?:row|c)[\s/>]")
_REF_NOT_FIRST = re.compile(rb"""<(?:row|c)(?=[\s/>])(?! r=["'])""")
_ELEMENT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(sheet|Relationship|Override|Default)\s([^>]*)>")
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def prolog_issue(head: str, complete: bool) -> str | None:
    """OOXML forbids DTDs; a DOCTYPE or ENTITY (billion laughs, XXE) is refused on sight."""
    head = head.lstrip("\ufeff")
    found = _DECLARATION.search(head)
    if found:
        return f"<!{found.group(1).upper()}>"
    pos = 0
    while (match := _PROLOG_SKIP.match(head, pos)) and match.end() > pos:
        pos = match.end()
    if pos >= len(head) and not complete:
        return f"XML prolog longer than {HEAD_CHARS // 1024} KB"
    return "<!...> declaration" if head.startswith("<!", pos) else None


def utf8_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """OOXML parts are UTF-8 or UTF-16; re-encode the latter so byte-level regexes see ASCII markup."""
    chunks, decoder = iter(chunks), None
    for chunk in chunks:
        if decoder is None:
            encoding = _encoding(chunk)
            if encoding == "utf-8":
                yield chunk
                yield from chunks
                return
            decoder = codecs.getincrementaldecoder(encoding)("replace")
        yield decoder.decode(chunk).encode("utf-8")
    if decoder is not None:
        yield decoder.decode(b"", final=True).encode("utf-8")


def _encoding(first: bytes) -> str:
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if first.startswith(b"<\x00"):
        return "utf-16-le"
    return "utf-16-be" if first.startswith(b"\x00<") else "utf-8"


def column_number(letters: bytes) -> int:
    """Excel letters → 1-based column; more than three letters is past XFD and treated as huge."""
    if len(letters) > 3:
        return HUGE
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _above(limit: str, alphabet: str, unit: str) -> str:
    """Regex for strings over `alphabet` that compare greater than `limit` of the same length, or are longer."""
    options = [f"{unit}{{{len(limit) + 1},}}"]
    for i, char in enumerate(limit):
        higher = alphabet[alphabet.index(char) + 1 :]
        if higher:
            options.append(f"{limit[:i]}[{higher[0]}-{higher[-1]}]{unit}{{{len(limit) - i - 1}}}")
    return "|".join(options)


def beyond_pattern(max_rows: int, max_columns: int) -> re.Pattern[bytes]:
    """A `<c r=...>` whose ref lies past the limits (empty cells included: a hint, not a verdict).

    Rows alone never count: calamine sizes a sheet by its cells, and on the fast path every cell
    carries its own `r`, so a million formatted empty `<row>`s (a whole-column format) are not a walk.
    """
    columns = _above(_letters(max_columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "[A-Z]")
    rows = _above(str(max_rows), "0123456789", "[0-9]")
    ref = f"""<c r=["']\\$?(?:(?:{columns})|[A-Z]{{0,3}}\\$?(?:{rows})["'])"""
    return re.compile(ref.encode(), re.I)


def _letters(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class ExtentScan:
    """Tracks the row and column of each cell the way calamine does, including cells and rows without `r`."""

    max_rows: int
    max_columns: int
    row: int = 0
    column: int = 0
    tail: bytes = b""
    beyond: re.Pattern[bytes] | None = None

    def feed(self, data: bytes) -> tuple[int, int] | str | None:
        """Scan the next piece of a sheet; return the first value cell beyond the limits, or an unsafe reason."""
        data = self.tail + data
        cut = data.rfind(b"<")
        if cut < 0 or data.find(b">", cut) >= 0:
            cut = len(data)
        self.tail = data[cut:]
        if len(self.tail) > MAX_TAG_BYTES:
            return f"XML tag longer than {MAX_TAG_BYTES // 1024} KB"
        body = data[:cut]
        if self._surely_within(body):
            self._resume_after(body)
            return None
        return self._walk(body)

    def _surely_within(self, body: bytes) -> bool:
        if self.beyond is None:
            self.beyond = beyond_pattern(self.max_rows, self.max_columns)
        hard = _PREFIXED.search(body) or _REF_NOT_FIRST.search(body)
        return not hard and self.beyond.search(body) is None

    def _resume_after(self, body: bytes) -> None:
        """With every tag carrying `r`, the position after a piece is the one its last tag names."""
        end = len(body)
        while (end := body.rfind(b"<", 0, end)) >= 0:
            match = _TAG.match(body, end)
            if match:
                self._step(match.group(1), match.group(2))
                return

    def _walk(self, body: bytes) -> tuple[int, int] | None:
        for match in _TAG.finditer(body):
            outside = self._step(match.group(1), match.group(2))
            if outside:
                return outside
        return None

    def _step(self, element: bytes, attributes: bytes) -> tuple[int, int] | None:
        ref = _REF.search(attributes)
        letters, digits = (ref.group(1), ref.group(2)) if ref else (b"", b"")
        row = (int(digits) if len(digits) <= 9 else HUGE) if digits else 0
        if element == b"row":
            self.row, self.column = row or self.row + 1, 0
            return None
        self.row = row or self.row
        self.column = column_number(letters) if letters else self.column + 1
        # Only cells with content count: calamine ignores empty styled cells like `<c r="A9" s="1"/>`.
        if attributes.rstrip().endswith(b"/"):
            return None
        if self.row > self.max_rows or self.column > self.max_columns:
            return self.row, self.column
        return None


def attributes(tag_body: str) -> dict[str, str]:
    """Attributes of one tag, names as written (with prefix), values unescaped."""
    return {name: unescape(double or single) for name, double, single in _ATTR.findall(tag_body)}


def elements(xml: str, name: str) -> list[dict[str, str]]:
    """Attribute dicts of every `<sheet>`, `<Relationship>`, `<Override>` or `<Default>` element (any prefix)."""
    return [attributes(body) for element, body in _ELEMENT.findall(xml) if element == name]


def relationship_targets(rels_xml: str, base_dir: str) -> dict[str, str]:
    """Relationship id → zip entry name, resolved against the folder of the part that owns the rels."""
    targets = {}
    for rel in elements(rels_xml, "Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base_dir, target)
        targets[rel.get("Id", "")] = posixpath.normpath(path)
    return targets


def sheet_parts(workbook_xml: str, rels_xml: str, workbook_path: str) -> dict[str, str]:
    """Zip entry name → sheet name, from workbook.xml and its rels (regexes: the files were checked for DTDs)."""
    targets = relationship_targets(rels_xml, posixpath.dirname(workbook_path))
    parts = {}
    for sheet in elements(workbook_xml, "sheet"):
        rel_id = next((value for key, value in sheet.items() if key.endswith(":id")), "")
        if rel_id in targets:
            parts[targets[rel_id]] = sheet.get("name", rel_id)
    return parts
