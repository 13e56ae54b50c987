"""Shared by the `council serve` tests: start it on a free port, ask its server, find and kill its processes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = Path(sys.executable).with_name("council")
STARTUP_S = 240  # the Prefect server has needed over a minute to start on a loaded 2-core machine
ACTIVE = ("PENDING", "RUNNING", "CANCELLING")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_env(data: Path, **extra: str) -> dict[str, str]:
    """A clean environment: no Prefect server named (serve must start its own), the data root under the test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "COUNCIL_"))}
    return env | {"COUNCIL_DATA_DIR": str(data), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


def start_serve(port: int, env: dict[str, str], log: Path, *options: str) -> subprocess.Popen[bytes]:
    """`council serve` in its own session, as a terminal or a service manager would start it."""
    with log.open("a") as out:
        return subprocess.Popen(
            [str(COUNCIL), "serve", "--port", str(port), *options],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait(condition: Callable[[], object], timeout: float, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting: {what}"
        time.sleep(0.5)


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


def wait_until_serving(serve: subprocess.Popen[bytes], log: Path) -> None:
    wait(lambda: serve.poll() is not None or "being served" in log.read_text(errors="replace"), STARTUP_S, tail(log))
    assert serve.poll() is None, tail(log)


def api(port: int, path: str, body: dict[str, object]) -> list[dict[str, object]]:
    return _call(port, "POST", path, body)


def sweep_runs(port: int) -> list[dict[str, object]]:
    return api(port, "flow_runs/filter", {"deployments": {"name": {"any_": ["inbox-sweep"]}}})


def state_of(run: dict[str, object]) -> str:
    return str(run["state"]["type"])  # type: ignore[index]


def answers_port(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
    except OSError:
        return False
    return True


def children_of(pid: int) -> dict[int, str]:
    """Direct children of `pid` with their command lines, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def local_server_pid(serve_pid: int) -> int:
    [pid] = [pid for pid, cmd in children_of(serve_pid).items() if "server start" in cmd]
    return pid


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not yet reaped


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def kill_serve(serve: subprocess.Popen[bytes], data: Path) -> None:
    """Leave nothing behind: serve, its flow runs, and its server (in a session of its own, so killed apart)."""
    servers = [pid for pid, cmd in children_of(serve.pid).items() if "server start" in cmd]
    with contextlib.suppress(OSError, ValueError, KeyError):
        servers.append(json.loads((data / "prefect" / "council-serve.json").read_text())["server_pid"])
    kill_group(serve.pid)
    for pid in servers:
        if "server start" in _cmdline(pid):  # the record may be stale and its pid reused
            kill_group(pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        serve.wait(timeout=30)


def stop(serve: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 90) -> int:
    if serve.poll() is None:
        serve.send_signal(sig)
    return serve.wait(timeout=timeout)


def _call(port: int, method: str, path: str, body: dict[str, object] | None = None) -> Any:
    """One API call; retried on 503, as Prefect's own client does while SQLite is locked (FIELD-NOTES)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers={"content-type": "application/json"},
        method=method,
    )
    for attempt in range(10):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == 9:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


def sweep_slots(port: int) -> int:
    """Slots the inbox-sweep deployment's concurrency limit counts as taken."""
    deployment = _call(port, "GET", "deployments/name/inbox-sweep/inbox-sweep")
    return int(deployment["global_concurrency_limit"]["active_slots"])  # type: ignore[index]


def leak_a_sweep_slot(port: int) -> None:
    """A slot counted as taken with no run holding it, as a server killed mid-run leaves it."""
    deployment = _call(port, "GET", "deployments/name/inbox-sweep/inbox-sweep")
    _call(port, "PATCH", f"v2/concurrency_limits/deployment:{deployment['id']}", {"active_slots": 1})
