"""A pack folder replaced in one step, and one build of a pack at a time.

Readers (an analyst's browser, the Prefect artifact link, scripts) open `packs/<id>/pack.xlsx` as a
plain path and may resolve it, so `packs/<id>` stays a real folder (a symlink to versioned folders
would hand out paths that the next build deletes). The finished build is swapped in with Linux's
`renameat2(RENAME_EXCHANGE)`: one atomic step, so a build killed at any instant leaves the old
folder or the new one, never neither. Where that call is missing (not Linux, or a file system
without it) the old folder is parked under a fixed name first, and the next build puts it back if
a kill came between the two renames. Every name a build uses is fixed, so leftovers are found.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h; ext4, xfs, btrfs, tmpfs and overlayfs support it
LOCK_POLL_S = 0.2
LOG = logging.getLogger(__name__)


class PackBuildBusy(RuntimeError):
    """Another process is building the same pack and did not finish within the wait."""

    def __init__(self, pack: str, holder: str, waited_s: float) -> None:
        self.pack, self.holder, self.waited_s = pack, holder, waited_s
        super().__init__(
            f"pack {pack} is being built by another process ({holder}); "
            f"waited {waited_s:g} s, try again when that build has finished"
        )


@dataclass(frozen=True)
class PackFolders:
    """`packs/<name>` and the fixed names its build uses beside it (hidden, so listings stay clean)."""

    final: Path

    def _beside(self, suffix: str) -> Path:
        return self.final.with_name(f".{self.final.name}.{suffix}")

    @property
    def staging(self) -> Path:
        return self._beside("building")

    @property
    def parked(self) -> Path:
        return self._beside("previous")

    @property
    def lock(self) -> Path:
        return self._beside("lock")


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing folders atomically; False where the kernel, libc or file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(folder: Path) -> None:
    """Flush a finished pack's files and folder, so a power cut after the swap cannot leave empty files."""
    for path in (*sorted(p for p in folder.iterdir() if p.is_file()), folder):
        fsync_path(path)


def publish(folders: PackFolders) -> None:
    """Make the finished staging folder `packs/<name>` in one step, then remove the pack it replaced.

    The caller has flushed the staging folder (`fsync_tree`) already, while a failure could still be undone.
    """
    if not folders.final.exists():
        os.rename(folders.staging, folders.final)
    elif not exchange(folders.staging, folders.final):
        os.rename(folders.final, folders.parked)
        os.rename(folders.staging, folders.final)
    fsync_path(folders.final.parent)
    remove_old(folders)


def remove_old(folders: PackFolders) -> None:
    """After a swap the old pack sits under the staging name (or the parked one); neither is needed now."""
    shutil.rmtree(folders.staging, ignore_errors=True)
    shutil.rmtree(folders.parked, ignore_errors=True)


def clear_leftovers(folders: PackFolders) -> None:
    """Before a build: put back a parked pack a kill left without its successor; drop half-built staging."""
    if folders.parked.exists() and not folders.final.exists():
        os.rename(folders.parked, folders.final)
    remove_old(folders)


def _holder(lock: Path) -> str:
    """Who holds the lock, as the holder wrote it (pid, host, since when), for the refusal message."""
    try:
        return lock.read_text(encoding="utf-8").strip() or "unknown process"
    except OSError:
        return "unknown process"


@contextmanager
def one_build_at_a_time(folders: PackFolders, wait_s: float) -> Iterator[None]:
    """Hold an exclusive lock on `.<name>.lock`, waiting up to `wait_s` for another build to finish.

    `flock` is released by the kernel when its holder dies, so a killed build never leaves a stale lock.
    """
    folders.final.parent.mkdir(parents=True, exist_ok=True)
    with folders.lock.open("a+", encoding="utf-8") as handle:
        _wait_for_lock(handle.fileno(), folders, wait_s)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        yield


def _wait_for_lock(fd: int, folders: PackFolders, wait_s: float) -> None:
    deadline = time.monotonic() + wait_s
    waiting = False
    while not _try_lock(fd):
        if time.monotonic() >= deadline:
            raise PackBuildBusy(folders.final.name, _holder(folders.lock), wait_s)
        if not waiting:  # said once, so an operator knows why the command is quiet
            LOG.warning(
                "pack %s is being built by %s; waiting up to %g s", folders.final.name, _holder(folders.lock), wait_s
            )
            waiting = True
        time.sleep(LOCK_POLL_S)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
