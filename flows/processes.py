"""What `council serve` needs to know about processes, read from Linux's /proc (elsewhere: nothing is known)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

PROC = Path("/proc")
FLOW_RUN_VARIABLE = b"PREFECT__FLOW_RUN_ID="  # Prefect's runner gives each flow-run process its run id


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses)."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_start(pid: int) -> str | None:
    """When `pid` started (ticks since boot), or None if it is gone: with the pid it names one process for ever."""
    fields = _stat_fields(pid)
    if fields is None or fields[0] == "Z":  # a zombie has exited, it is only not reaped yet
        return None
    return fields[19]


def is_running(pid: int, started: str | None) -> bool:
    """The very process recorded earlier is still alive (a reused pid has another start time)."""
    return started is not None and process_start(pid) == started


def _pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()] if PROC.is_dir() else []


def descendants(pid: int) -> list[int]:
    """Children, grandchildren, ... of `pid`."""
    parent_of = {child: fields[1] for child in _pids() if (fields := _stat_fields(child))}
    found, frontier = [], {str(pid)}
    while frontier:
        children = [child for child, parent in parent_of.items() if parent in frontier]
        found += children
        frontier = {str(child) for child in children}
    return found


def live_flow_run_ids() -> set[str]:
    """Ids of the flow runs that have a live process on this machine."""
    ids = set()
    for pid in _pids():
        with contextlib.suppress(OSError):
            for variable in (PROC / str(pid) / "environ").read_bytes().split(b"\0"):
                if variable.startswith(FLOW_RUN_VARIABLE):
                    ids.add(variable.removeprefix(FLOW_RUN_VARIABLE).decode(errors="replace"))
    return ids


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def stop_group(leader: int, started: str | None, grace_s: float) -> None:
    """SIGTERM to the process group `leader` heads, SIGKILL if it is still there after `grace_s`."""
    _signal_group(leader, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while is_running(leader, started) and time.monotonic() < deadline:
        time.sleep(0.2)
    if is_running(leader, started):
        _signal_group(leader, signal.SIGKILL)


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _listening_inodes(port: int) -> set[str] | None:
    """Socket inodes listening on TCP `port` (IPv4 and IPv6), or None where /proc/net cannot tell."""
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            rows = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            return None
        for fields in (row.split() for row in rows):
            if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def listens_on(pid: int, port: int) -> bool | None:
    """Whether `pid` or one of its descendants holds the socket listening on `port`; None if /proc cannot say."""
    inodes = _listening_inodes(port)
    if inodes is None:
        return None
    sockets = {f"socket:[{inode}]" for inode in inodes}
    for holder in (pid, *descendants(pid)):
        with contextlib.suppress(OSError):
            fds = PROC / str(holder) / "fd"
            if any(os.readlink(fds / fd) in sockets for fd in os.listdir(fds)):
                return True
    return False
