"""Read an untrusted workbook safely: preflight, then python-calamine in a warm, memory-capped child."""

from __future__ import annotations

import atexit
import threading
from pathlib import Path

from tasks.read.isolation import IsolatedReader
from tasks.read.model import FileIssue, RawWorkbook, ReadLimits

_readers: dict[int, IsolatedReader] = {}
_readers_lock = threading.Lock()


def read_workbook(path: Path, limits: ReadLimits) -> RawWorkbook | FileIssue:
    """One file, one answer: a RawWorkbook or the FileIssue that explains the refusal."""
    return shared_reader(limits.memory_mb).read(path, limits)


def shared_reader(memory_mb: int) -> IsolatedReader:
    """The process-wide warm reader for a memory cap, so a sweep does not start Python per file."""
    with _readers_lock:
        if memory_mb not in _readers:
            _readers[memory_mb] = IsolatedReader(memory_mb)
        return _readers[memory_mb]


@atexit.register
def close_shared_readers() -> None:
    """Stop every warm child (also called at interpreter exit)."""
    with _readers_lock:
        for reader in _readers.values():
            reader.close()
        _readers.clear()
