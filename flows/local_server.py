"""The local Prefect server `council serve` starts, watches and stops; it never uses one it did not start."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council.settings import Settings
from flows.processes import is_running, listens_on, process_start, stop_group

STARTUP_TIMEOUT_S = 180
STOP_GRACE_S = 10  # uvicorn's graceful shutdown takes 1-3 s; a server still up after this is killed
# Room for SQLite's journal and a while of Prefect's logs. Below it serve refuses to start (or stops) with one
# line, instead of letting every API call of the server and the runner fail and log, tick after tick.
MIN_FREE_MB = 100
# Which server and which serve last used this Prefect home. Not Prefect's own `server.pid`: `prefect server
# start` refuses to start and `prefect server stop` kills whatever that file names.
RECORD = "council-serve.json"


class ServeError(RuntimeError):
    """Why `council serve` cannot start or go on, in one line for whoever runs it."""


def say(line: str) -> None:
    """One line for the operator, apart from Prefect's log: what serve did on its own, or why it stopped."""
    print(f"council serve: {line}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LocalServer:
    process: subprocess.Popen[bytes]
    port: int
    home: Path

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


def prefect_home(settings: Settings) -> Path:
    """Where the server keeps its SQLite: PREFECT_HOME if set, else under the data root."""
    return Path(os.environ.get("PREFECT_HOME", settings.data_dir / "prefect"))


def free_mb(path: Path) -> float:
    return shutil.disk_usage(path).free / 2**20


def low_space(home: Path, floor_mb: float = MIN_FREE_MB) -> str | None:
    """The one line to stop with when the disk under the database is (nearly) full, else None."""
    free = free_mb(home)
    if free >= floor_mb:
        return None
    return (
        f"only {free:.0f} MB free on the disk holding {home}; the Prefect database needs at least {floor_mb:.0f} MB:"
        " free some space, then start council serve again"
    )


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        # As uvicorn binds: a socket of a dead server lingering in TIME_WAIT does not make the port taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def read_record(home: Path) -> dict[str, Any]:
    try:
        return json.loads((home / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_record(home: Path, server: subprocess.Popen[bytes], port: int) -> None:
    record = {
        "serve_pid": os.getpid(),
        "serve_started": process_start(os.getpid()),
        "server_pid": server.pid,
        "server_started": process_start(server.pid),
        "port": port,
    }
    temporary = home / f"{RECORD}.tmp"
    temporary.write_text(json.dumps(record), encoding="utf-8")
    temporary.replace(home / RECORD)


def stop_orphan(home: Path) -> bool:
    """Refuse if another serve still uses this home; stop the server a killed serve left behind (provably ours)."""
    record = read_record(home)
    if not record:
        return False
    if record.get("serve_pid") != os.getpid() and is_running(record.get("serve_pid", 0), record.get("serve_started")):
        raise ServeError(
            f"another council serve (pid {record['serve_pid']}, port {record['port']}) already serves {home};"
            " stop it first"
        )
    if is_running(record.get("server_pid", 0), record.get("server_started")):
        say(
            f"stopping the Prefect server (pid {record['server_pid']}, port {record['port']})"
            " that a killed council serve left running"
        )
        stop_group(record["server_pid"], record["server_started"], STOP_GRACE_S)
        return True
    return False


def claim_port(port: int, wait_s: float = 0) -> None:
    """Never attach to a server we did not start: a port already taken stops serve."""
    deadline = time.monotonic() + wait_s  # a server just stopped may take a moment to let go of it
    while port_in_use(port):
        if time.monotonic() > deadline:
            raise ServeError(
                f"port {port} on 127.0.0.1 is already in use by a program this council serve did not start"
                f" (perhaps a Prefect server left by another data root): stop it, or choose a free port with --port"
            )
        time.sleep(0.5)


def _spawn(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    # The UI is a page that calls the API from the browser: without these it keeps calling port 4200.
    env |= {"PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api", "PREFECT_UI_URL": f"http://127.0.0.1:{port}"}
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    # Its own session: Ctrl-C reaches `council serve` alone, which pauses its deployments while the
    # server is still up and then stops the server (a server that dies first leaves the runner retrying).
    return subprocess.Popen(command, env=env, start_new_session=True)


def _wait_healthy(server: LocalServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServeError(f"the Prefect server exited during start-up (code {server.process.returncode}), see above")
        try:
            with urllib.request.urlopen(f"{server.api}/health", timeout=2):
                pass
        except OSError:
            time.sleep(0.5)
            continue
        if server.process.poll() is None and listens_on(server.process.pid, server.port) is not False:
            return
        if server.process.poll() is None:  # another program took the port while ours was importing
            raise ServeError(f"port {server.port} was taken by a program this council serve did not start; use --port")
    raise ServeError(f"the Prefect server did not answer at {server.api} within {STARTUP_TIMEOUT_S} s")


def start_local_server(settings: Settings, port: int) -> LocalServer:
    """Prefect's own server on 127.0.0.1:`port` with its SQLite under the data root; PREFECT_API_URL points to it."""
    home = prefect_home(settings)
    home.mkdir(parents=True, exist_ok=True)
    if reason := low_space(home):
        raise ServeError(reason)
    claim_port(port, wait_s=STOP_GRACE_S if stop_orphan(home) else 0)
    server = LocalServer(_spawn(home, port), port, home)
    try:
        write_record(home, server.process, port)
        _wait_healthy(server)
    except BaseException:  # Ctrl-C or SIGTERM during start-up too: never leave the server behind
        stop_local_server(server)
        raise
    os.environ["PREFECT_API_URL"] = server.api
    return server


def stop_local_server(server: LocalServer) -> None:
    stop_group(server.process.pid, process_start(server.process.pid), STOP_GRACE_S)
    try:
        server.process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        server.process.kill()
    (server.home / RECORD).unlink(missing_ok=True)


def why_stop(server: LocalServer) -> str | None:
    """The one line serve stops with when its server has died or the disk under it is filling, else None."""
    code = server.process.poll()
    if code is not None:
        return (
            f"the local Prefect server (pid {server.process.pid}, port {server.port}) exited with code {code};"
            " council serve stops too: start it again (its start-up marks the interrupted runs crashed)"
        )
    return low_space(server.home)
