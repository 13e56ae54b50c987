"""Turn the child's JSON answer into a RawWorkbook, or the FileIssue it stands for."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tasks.read.model import (
    FILE_CORRUPT,
    FILE_ENCRYPTED,
    FILE_UNREADABLE,
    FileIssue,
    RawSheet,
    RawWorkbook,
    SheetQuirks,
)

_TAGGED: dict[str, Callable[[Any], object]] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda seconds: dt.timedelta(seconds=seconds),
}


def parse_answer(data: bytes) -> dict[str, Any]:
    """JSON from the child; single-key {tag: text} objects are cells holding dates, times or durations."""
    return json.loads(data, object_hook=_untag)


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        if key in _TAGGED:
            return _TAGGED[key](value)
    return obj


def decode_answer(answer: dict[str, Any], memory_mb: int) -> RawWorkbook | FileIssue:
    """A parse error names the file's fault; only a memory error blames the reader's limits."""
    error = answer.get("error")
    if error == "password":
        return FileIssue(FILE_ENCRYPTED, "password-protected workbook")
    if error == "memory":
        return FileIssue(FILE_UNREADABLE, f"reader exceeded {memory_mb} MB")
    if error:
        return FileIssue(FILE_CORRUPT, f"{error}: {answer.get('detail', '')}".rstrip(": ")[:200])
    sheets = (RawSheet(name=s["name"], visible=bool(s["visible"]), rows=s["rows"]) for s in answer["sheets"])
    return RawWorkbook(sheets={sheet.name: sheet for sheet in sheets})


def with_quirks(result: RawWorkbook | FileIssue, quirks: dict[str, SheetQuirks]) -> RawWorkbook | FileIssue:
    """Attach what the preflight's XML scan saw to the sheets calamine read (matched by sheet name)."""
    if isinstance(result, FileIssue) or not quirks:
        return result
    found = {name: vars(quirks[name]) if name in quirks else {} for name in result.sheets}
    return replace(result, sheets={name: replace(sheet, **found[name]) for name, sheet in result.sheets.items()})
