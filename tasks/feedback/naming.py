"""Safe outbox file names for feedback workbooks, whatever the centre called its file."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

_MAX_STEM_BYTES = 120  # leaves room for the stamp and suffix under the 255-byte file-name limit
_NOT_ALLOWED = re.compile(r"[^\w-]+")  # \w keeps Cyrillic and Kazakh letters and digits
_RUNS = re.compile(r"[_-]{2,}")


def as_utc(moment: datetime) -> datetime:
    """Naive UTC for a timestamp: an aware one is converted, a naive one is taken as UTC already."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _visible(text: str) -> str:
    """Drop control and format characters (incl. right-to-left overrides that disguise extensions)."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch)[0] != "C")


def _clip(text: str, max_bytes: int) -> str:
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def safe_stem(file_name: str) -> str:
    """The original name without folders, extension or path tricks: `../-rf отчёт.xlsx` → `rf_отчёт`."""
    base = re.split(r"[/\\]", _visible(file_name))[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    cleaned = _RUNS.sub("_", _NOT_ALLOWED.sub("_", stem)).strip("_-")
    return _clip(cleaned, _MAX_STEM_BYTES).strip("_-") or "file"


def feedback_file_name(file_name: str, received_at: datetime, status: str, reference: str | None = None) -> str:
    """`2026-11-28T101500Z_<stem>[_<reference>]_<status>_feedback.xlsx`: sorts by time, safe on any file system.

    `reference` (the start of the file's hash) keeps two answers apart whose names become equal once made
    safe (`notes 1.xlsx`, `notes_1.xlsx`) and arrive in the same second.
    """
    stamp = as_utc(received_at).strftime("%Y-%m-%dT%H%M%SZ")
    state = re.sub(r"[^a-z_]+", "", status.lower()) or "unknown"
    ref = re.sub(r"[^0-9a-zA-Z]+", "", reference or "")[:16]
    return f"{stamp}_{safe_stem(file_name)}{'_' + ref if ref else ''}_{state}_feedback.xlsx"


def annotated_file_name(file_name: str, received_at: datetime, status: str, reference: str | None = None) -> str:
    """The feedback workbook's name ending `_annotated.xlsx`: the two sort side by side in the outbox."""
    feedback = feedback_file_name(file_name, received_at, status, reference)
    return feedback.removesuffix("_feedback.xlsx") + "_annotated.xlsx"
