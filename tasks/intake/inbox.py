"""What is in the drop folders: the files ready to take, and everything else with the reason it waits.

Nothing is silent: a file a sweep does not take (still being written, dated in the future, in the wrong
folder, a link, a pipe) is listed with its reason, and a broken drop folder is reported for its centre
alone. Links are never followed: a centre's share is mounted at its folder, not linked to it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from tasks.intake.files import InboxFile, ignored_name

# A file dated this far ahead of our clock is reported (its writer's clock is ahead, or the share's).
FUTURE_TOLERANCE_S = 2.0


@dataclass(frozen=True)
class Waiting:
    """Something in the inbox a sweep did not take; `centre` is None outside the centres' folders."""

    centre: str | None
    name: str
    reason: str


@dataclass
class InboxListing:
    """The settled files to take, in folder order, and what waits with its reason."""

    files: list[InboxFile] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)


def list_inbox(
    inbox: Path, centres: list[str], settle_s: float, now: float, *, everything: bool = True, create: bool = True
) -> InboxListing:
    """Every registered centre's folder (or the ones given), and with `everything` the inbox's own level.

    `create` makes missing drop folders (a sweep does; `council status` only looks).
    """
    listing = InboxListing()
    for code in centres:
        _list_centre(inbox / code, code, settle_s, now, listing, create)
    if everything:
        listing.waiting += _strays(inbox, centres)
    return listing


def _list_centre(folder: Path, code: str, settle_s: float, now: float, listing: InboxListing, create: bool) -> None:
    problem = drop_folder_problem(folder, create)
    if problem == "":
        return
    if problem:
        listing.waiting.append(Waiting(code, "", problem))
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        listing.waiting.append(Waiting(code, "", f"the drop folder cannot be read: {error.strerror or error}"))
        return
    for entry in entries:
        if ignored_name(entry.name):
            continue
        taken = _ready(entry, code, settle_s, now)
        if isinstance(taken, InboxFile):
            listing.files.append(taken)
        else:
            listing.waiting.append(Waiting(code, entry.name, taken))


def drop_folder_problem(folder: Path, create: bool = True) -> str | None:
    """Why a centre's drop folder cannot be swept, or None; missing and not to be created: ""."""
    if folder.is_symlink():
        if not folder.exists():
            return "the drop folder is a link to something that is not there (an unmounted share?)"
        return "the drop folder is a link; links are never followed: mount the share at this path instead"
    if folder.exists() and not folder.is_dir():
        return "the drop folder is a file, not a folder"
    if not create:
        return None if folder.is_dir() else ""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"the drop folder cannot be created: {error.strerror or error}"
    return None


def _ready(entry: os.DirEntry[str], code: str, settle_s: float, now: float) -> InboxFile | str:
    """The file to take, or why it waits (lstat: a link is judged as a link, never as what it points at)."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as error:
        return f"cannot be examined: {error.strerror or error}"
    if stat.S_ISLNK(info.st_mode):
        return "a link; links are never followed, so it is not taken: put the file itself here"
    if stat.S_ISDIR(info.st_mode):
        return "a folder; only files directly in the drop folder are taken"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a pipe, socket or device); not taken"
    ahead = info.st_mtime - now
    if ahead > FUTURE_TOLERANCE_S:
        return f"dated {ahead:.0f} s in the future (the writer's clock is ahead); taken once that time has passed"
    if now - info.st_mtime < settle_s:
        left = settle_s - max(0.0, now - info.st_mtime)
        return f"still being written (a copy takes it only once quiet {settle_s:g} s): retry in {left:.0f} s"
    return InboxFile(code, Path(entry.path), info.st_size, info.st_mtime, info.st_mtime_ns)


def _strays(inbox: Path, centres: list[str]) -> list[Waiting]:
    """Files put directly in inbox/, and folders that are not a registered centre's (a typo, lower case)."""
    try:
        entries = sorted(os.scandir(inbox), key=lambda e: e.name)
    except OSError:
        return []
    strays = []
    for entry in entries:
        if entry.name in centres or ignored_name(entry.name) or entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            if _holds_anything(Path(entry.path)):
                strays.append(Waiting(None, entry.name + "/", _unknown_folder(entry.name, centres)))
        else:
            strays.append(
                Waiting(None, entry.name, "directly in inbox/; put it in the centre's folder inbox/<CENTRE>/")
            )
    return strays


def _holds_anything(folder: Path) -> bool:
    try:
        return any(not ignored_name(e.name) for e in os.scandir(folder))
    except OSError:
        return True


def _unknown_folder(name: str, centres: list[str]) -> str:
    close = next((code for code in centres if code.casefold() == name.strip().casefold()), None)
    hint = f"; did you mean {close}/ (folder names are upper case)?" if close else ""
    return f"not a registered centre's folder, so nothing in it is taken{hint}"
