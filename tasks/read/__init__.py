"""Read stage: refuse what is not a safe .xlsx, and parse the rest in an isolated child process."""

from tasks.read.formats import detect_format
from tasks.read.isolation import IsolatedReader
from tasks.read.model import FileIssue, RawSheet, RawWorkbook, ReadLimits
from tasks.read.preflight import preflight
from tasks.read.reader import close_shared_readers, read_workbook

__all__ = [
    "FileIssue",
    "IsolatedReader",
    "RawSheet",
    "RawWorkbook",
    "ReadLimits",
    "close_shared_readers",
    "detect_format",
    "preflight",
    "read_workbook",
]
