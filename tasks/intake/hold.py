"""The hold: a taken file waits beside the inbox until it is certain nobody was still writing it.

Taking a file renames it from `inbox/<CENTRE>/` into `taken/<CENTRE>/<tag>/` (atomic: one sweep wins).
A copy that paused longer than the settle time keeps writing into the same inode, so it grows in the
hold, never under `processed/` (which only ever gets a fresh copy from the archive). Each sweep looks
at the hold first: a file that grew after it was taken goes back to the inbox and is taken again in
full; one left by a sweep that died goes back too; one unchanged for `hold_s` after its answer is
deleted (its bytes are in the archive). The tag records what the take saw: when, size, mtime, who.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from council.owners import owner_alive
from tasks.intake.files import InboxFile
from tasks.intake.inbox import Waiting

DONE = ".done"


@dataclass(frozen=True)
class Held:
    """Where a taken file is now; `folder` is None when it could not be moved (taken in place)."""

    path: Path
    name: str
    size: int
    mtime_ns: int
    folder: Path | None
    origin: Path  # where it was dropped


def hold(file: InboxFile, taken: Path, owner: str) -> Held | None:
    """Move a settled file into the hold; None if another sweep took it first.

    A drop folder on another file system cannot be renamed across: its file is taken in place, and
    only removed later if it is still exactly as taken.
    """
    tag = f"{time.time_ns()}-{file.size}-{file.mtime_ns}-{owner.replace('/', '_')}"
    folder = taken / file.centre / tag
    folder.mkdir(parents=True)
    try:
        os.rename(file.path, folder / file.path.name)
    except OSError as error:
        folder.rmdir()
        if error.errno == errno.ENOENT:
            return None
        if error.errno == errno.EXDEV:
            return Held(file.path, file.path.name, file.size, file.mtime_ns, None, file.path)
        raise
    return Held(folder / file.path.name, file.path.name, file.size, file.mtime_ns, folder, file.path)


def unchanged(held: Held) -> bool:
    """Still exactly as taken: same size and modification time to the nanosecond."""
    try:
        info = held.path.lstat()
    except FileNotFoundError:
        return False
    return (info.st_size, info.st_mtime_ns) == (held.size, held.mtime_ns)


def finish(held: Held) -> None:
    """The file is answered: mark its hold done (kept a while in case it grows), or remove it from the inbox."""
    if held.folder is None:
        if unchanged(held):  # grown in place: new bytes, taken as a new file by a later sweep
            held.path.unlink(missing_ok=True)
        return
    if held.folder.exists():
        held.folder.rename(held.folder.with_name(held.folder.name + DONE))


def give_back(held: Held) -> None:
    """Undo a take that could not finish (the archive could not be written): the file waits in its folder again."""
    if held.folder is not None and held.path.exists():
        _give_back(held.path, held.origin.parent, held.folder)


def tend(taken: Path, inbox: Path, centres: list[str], settle_s: float, hold_s: float) -> list[Waiting]:
    """Before a sweep lists the inbox: give back what grew or was left by a dead sweep, drop what is old."""
    waiting: list[Waiting] = []
    for code in centres:
        folder = taken / code
        for tag_folder in sorted(folder.iterdir()) if folder.is_dir() and not folder.is_symlink() else []:
            try:
                note = _tend_one(tag_folder, inbox / code, settle_s, hold_s)
            except (OSError, ValueError) as error:  # one odd entry in the hold never stops the sweep
                note = (tag_folder.name, f"in the hold and cannot be tended: {error}")
            if note:
                waiting.append(Waiting(code, note[0], note[1]))
    return waiting


def _tend_one(tag_folder: Path, drop_folder: Path, settle_s: float, hold_s: float) -> tuple[str, str] | None:
    files = [p for p in tag_folder.iterdir() if p.is_file()] if tag_folder.is_dir() else []
    if not files:
        shutil.rmtree(tag_folder, ignore_errors=True)
        return None
    taken_ns, size, mtime_ns, owner = _parse_tag(tag_folder.name)
    path, now = files[0], time.time()
    info = path.lstat()
    if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
        if now - info.st_mtime < settle_s:
            return path.name, "taken, then written to again: waiting until the rest has arrived to take it in full"
        _give_back(path, drop_folder, tag_folder)
    elif not tag_folder.name.endswith(DONE):
        if not owner_alive(owner):  # the sweep that took it died before answering
            _give_back(path, drop_folder, tag_folder)
    elif now - taken_ns / 1e9 >= hold_s:
        shutil.rmtree(tag_folder, ignore_errors=True)
    return None


def _parse_tag(tag: str) -> tuple[int, int, int, str]:
    taken_ns, size, mtime_ns, owner = tag.removesuffix(DONE).split("-", 3)
    return int(taken_ns), int(size), int(mtime_ns), owner


def _give_back(path: Path, drop_folder: Path, tag_folder: Path) -> None:
    """Back into the drop folder under its own name (or a free variant), for the next listing to take."""
    target = drop_folder / path.name
    stem, dot, ext = path.name.rpartition(".")
    if not dot:
        stem, ext = path.name, ""
    stem = stem.encode("utf-8")[:200].decode("utf-8", "ignore")  # room for " (n)" within 255 bytes
    number = 1
    while target.exists() or target.is_symlink():
        number += 1
        target = drop_folder / f"{stem} ({number}){dot}{ext}"
    os.rename(path, target)
    shutil.rmtree(tag_folder, ignore_errors=True)
