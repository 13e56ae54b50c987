"""Values the read stage returns: a raw workbook, or the one reason the file cannot be read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from council.settings import Settings

FILE_FORMAT = "file.format"
FILE_CORRUPT = "file.corrupt"
FILE_ENCRYPTED = "file.encrypted"
FILE_UNSAFE = "file.unsafe"
FILE_TOO_LARGE = "file.too_large"
FILE_UNREADABLE = "file.unreadable"
FILE_MACROS = "file.macros"
FILE_EMBEDDED_OBJECT = "file.embedded_object"
WORKBOOK_EXTERNAL_LINK = "workbook.external_link"  # a warning: the file is read, it rides on RawWorkbook.findings


@dataclass(frozen=True)
class FileIssue:
    """Why a file cannot be read as a report; `rule` is a code from schemas/rules.yaml."""

    rule: str
    found: str
    # The reader failed, not the bytes (a timeout, a child killed by a signal, no child at all):
    # the file is tried again later, never rejected for it.
    transient: bool = False


@dataclass(frozen=True)
class SheetQuirks:
    """What readers do not show about a worksheet, from its XML: cells, ranges and rows as Excel numbers them."""

    formula_cells_without_value: tuple[str, ...] = ()  # A1 refs, e.g. ("C3",)
    merged_ranges: tuple[str, ...] = ()  # e.g. ("A5:A7",)
    hidden_rows: tuple[int, ...] = ()  # 1-based rows that are hidden and not empty in the XML


@dataclass(frozen=True)
class RawSheet:
    """One worksheet as python-calamine sees it: row 0 is Excel row 1, "" for empty cells.

    The last three fields come from the preflight's XML scan (empty when the preflight was skipped).
    """

    name: str
    visible: bool
    rows: list[list[object]]
    formula_cells_without_value: tuple[str, ...] = ()
    merged_ranges: tuple[str, ...] = ()
    hidden_rows: tuple[int, ...] = ()


@dataclass(frozen=True)
class RawWorkbook:
    """Every worksheet of a workbook, in workbook order (chart and dialog sheets left out).

    `findings` are whole-file warnings the preflight saw in a file it did not refuse (an external link).
    """

    sheets: dict[str, RawSheet]
    findings: tuple[FileIssue, ...] = ()


@dataclass(frozen=True)
class ReadLimits:
    """Bounds that keep one hostile file from hurting the sweep; `max_entries` caps the zip directory."""

    max_bytes: int = 50 * 2**20
    max_uncompressed_bytes: int = 500 * 2**20
    max_ratio: float = 100.0
    max_rows: int = 200_000
    max_columns: int = 200
    timeout_s: float = 60.0
    memory_mb: int = 2048
    max_entries: int = 10_000
    # openpyxl (the annotated copy) creates one object per cell of a merged range: A1:XFD1048576 is 17e9.
    max_merged_cells: int = 250_000

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadLimits:
        """The limits an operator set (COUNCIL_MAX_FILE_MB, COUNCIL_READ_TIMEOUT_S, ...): one place, every reader."""
        return cls(
            max_bytes=int(settings.max_file_mb * 2**20),
            max_uncompressed_bytes=int(settings.max_unpacked_mb * 2**20),
            max_rows=settings.max_rows,
            max_columns=settings.max_columns,
            timeout_s=settings.read_timeout_s,
            memory_mb=settings.read_memory_mb,
        )
