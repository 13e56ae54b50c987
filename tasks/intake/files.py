"""The drop folders: which files are ready, their hash, the archive by hash, and a clean inbox."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CHUNK = 1 << 20
# Excel and LibreOffice lock files, macOS resource forks: never reports. Other names starting with a dot
# (`..report.xlsx`, `.report.xlsx`) are users' files and get an answer like any other.
IGNORED_PREFIXES = ("~$", ".~lock.", "._")
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
MAX_NAME = 120


@dataclass(frozen=True)
class InboxFile:
    centre: str
    path: Path
    size: int
    mtime: float


def ensure_drop_folders(inbox: Path, centres: list[str]) -> None:
    for code in centres:
        (inbox / code).mkdir(parents=True, exist_ok=True)


def settled_files(inbox: Path, centres: list[str], settle_seconds: float, now: float) -> list[InboxFile]:
    """Files that stopped changing at least `settle_seconds` ago: a copy in progress is not taken."""
    ready = []
    for code in centres:
        folder = inbox / code
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if ignored(entry):
                continue
            stat = entry.stat()
            if now - stat.st_mtime >= settle_seconds:
                ready.append(InboxFile(code, entry, stat.st_size, stat.st_mtime))
    return ready


def ignored_name(name: str) -> bool:
    """Lock files and OS clutter, by name alone: never a submission."""
    return name.startswith(IGNORED_PREFIXES) or name in IGNORED_NAMES


def ignored(entry: Path) -> bool:
    """Lock files, OS clutter, folders, links and pipes: never a submission (a pipe would block the read)."""
    if ignored_name(entry.name) or entry.is_symlink():
        return True
    return not entry.is_file()


def unchanged(file: InboxFile) -> bool:
    """Still the same size and mtime as when it was listed (it was not being written meanwhile)."""
    try:
        stat = file.path.stat()
    except FileNotFoundError:
        return False
    return stat.st_size == file.size and stat.st_mtime == file.mtime


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


def archive_copy(source: Path, archive: Path, sha256: str, kind: str) -> Path:
    """Copy the exact bytes into the archive atomically; an existing copy is kept as it is."""
    target = archive_path(archive, sha256, kind)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".part-{os.getpid()}")
    with source.open("rb") as src, partial.open("wb") as dst:
        shutil.copyfileobj(src, dst, CHUNK)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(partial, target)
    return target


def display_name(name: str) -> str:
    """The name as text a database and a workbook accept: bytes that are not UTF-8 (a cp1251 name) become U+FFFD."""
    return os.fsencode(name).decode("utf-8", "replace")


def safe_name(name: str) -> str:
    """A file name that cannot escape a folder or pass as an option; letters (Cyrillic too) are kept."""
    name = unicodedata.normalize("NFC", display_name(name))
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", name).strip(" .")
    name = re.sub(r"\.{2,}", ".", name).lstrip("-") or "file"
    stem, dot, ext = name.rpartition(".")
    if len(name) > MAX_NAME:
        name = (stem[: MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name


def move_to_processed(file: Path, processed: Path, centre: str, received_at: datetime) -> Path | None:
    """Take a handled file out of the drop folder (its bytes are already in the archive)."""
    target_dir = processed / centre
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{received_at:%Y%m%dT%H%M%S}Z__{safe_name(file.name)}"
    try:
        os.replace(file, target)
    except FileNotFoundError:
        return None  # moved already by an earlier, interrupted sweep
    return target
