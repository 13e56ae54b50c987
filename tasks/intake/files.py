"""The drop folders: which files are ready, their hash, the archive by hash, and a clean inbox."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CHUNK = 1 << 20
# Excel and LibreOffice lock files, macOS resource forks: never reports. Other names starting with a dot
# (`..report.xlsx`, `.report.xlsx`) are users' files and get an answer like any other.
IGNORED_PREFIXES = ("~$", ".~lock.", "._")
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# Bytes, not characters: Linux allows 255 bytes a name, Cyrillic takes 2 a letter, and processed/ names
# carry a stamp and a reference before the user's name.
MAX_NAME_BYTES = 200


@dataclass(frozen=True)
class InboxFile:
    """A settled file in a centre's drop folder, with what its listing saw (to notice a later change)."""

    centre: str
    path: Path
    size: int
    mtime: float
    mtime_ns: int = 0


def ignored_name(name: str) -> bool:
    """Lock files and OS clutter, by name alone: never a submission."""
    return name.startswith(IGNORED_PREFIXES) or name in IGNORED_NAMES


def ignored(entry: Path) -> bool:
    """Lock files, OS clutter, folders, links and pipes: never a submission (a pipe would block the read)."""
    if ignored_name(entry.name) or entry.is_symlink():
        return True
    return not entry.is_file()


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def archive_path(archive: Path, sha256: str, kind: str) -> Path:
    """Content-addressed: the name is the hash plus the format found in the bytes, never the user's name."""
    return archive / sha256[:2] / f"{sha256}.{kind if kind.isalnum() else 'bin'}"


def archive_copy(source: Path, archive: Path, detect: Callable[[Path], str]) -> tuple[str, int, Path]:
    """Copy the exact bytes into the archive, hashing them on the way: (sha256, size, archived path).

    One read: the hash names exactly the bytes that were copied, even if the source changed meanwhile.
    `detect` names the format from the copy. An existing archived copy is kept as it is.
    """
    archive.mkdir(parents=True, exist_ok=True)
    partial = archive / f".incoming-{os.getpid()}-{time.time_ns()}"
    digest, size = hashlib.sha256(), 0
    try:
        with source.open("rb") as src, partial.open("wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha256 = digest.hexdigest()
        target = archive_path(archive, sha256, detect(partial))
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return sha256, size, target


def display_name(name: str) -> str:
    """The name as text a database and a workbook accept: bytes that are not UTF-8 (a cp1251 name) become U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def safe_name(name: str) -> str:
    """A file name that cannot escape a folder or pass as an option; letters (Cyrillic too) are kept."""
    name = unicodedata.normalize("NFC", display_name(name))
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", name).strip(" .")
    name = re.sub(r"\.{2,}", ".", name).lstrip("-") or "file"
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 10:
        return _clip(name, MAX_NAME_BYTES)
    return _clip(stem, MAX_NAME_BYTES - len(ext.encode("utf-8")) - 1) + "." + ext


def _clip(text: str, max_bytes: int) -> str:
    """At most `max_bytes` of UTF-8, never cutting a letter in half."""
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


def move_to_processed(archived: Path, processed: Path, centre: str, received_at: datetime, name: str) -> Path:
    """Record a handled file under processed/: a fresh copy of its archived bytes, never the inbox's inode
    (a writer that still held the dropped file open could otherwise keep writing into processed/).

    The name is the stamp, the content's reference and the user's name made safe, so two names that become
    equal once made safe (`a:b.xlsx`, `a_b.xlsx`) never overwrite each other.
    """
    target_dir = processed / centre
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{received_at:%Y%m%dT%H%M%S}Z-{archived.name[:8]}__{safe_name(name)}"
    partial = target.with_name(f".{target.name[:200]}.part-{os.getpid()}")
    shutil.copyfile(archived, partial)
    os.replace(partial, target)
    return target
