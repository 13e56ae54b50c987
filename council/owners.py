"""Who is working on something: a sweep's name on its claims and holds, and whether that sweep still runs."""

from __future__ import annotations

import os
import socket
import time

_OWNERS: dict[int, str] = {}


def sweep_owner() -> str:
    """This process's name on its claims: host, pid and start time (a forked child gets its own)."""
    return _OWNERS.setdefault(os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{time.time():.0f}")


def owner_alive(owner: str) -> bool:
    """Whether the process named `owner` still runs; another host's process is presumed alive."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    return host != socket.gethostname() or not pid.isdigit() or process_alive(int(pid))


def process_alive(pid: int) -> bool:
    """Signal 0 only probes; a killed sweep's pid is gone at once (pid reuse within the timeout is unlikely)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
