"""What `council serve` checks before it starts a server, on real processes, sockets and disks (no server needed)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from flows.local_server import RECORD, ServeError, claim_port, low_space, port_in_use, stop_orphan
from flows.processes import descendants, is_running, listens_on, live_flow_run_ids, process_start
from tests.requires import needs

pytestmark = needs(Path("/proc").is_dir(), "process checks read Linux's /proc")


def sleeper(**env: str) -> subprocess.Popen[bytes]:
    """A real process standing in for a server or a serve: its own session, as serve starts its server."""
    return subprocess.Popen(["sleep", "300"], env={**os.environ, **env}, start_new_session=True)


def record(home: Path, serve: subprocess.Popen[bytes] | None, server: subprocess.Popen[bytes], port: int) -> None:
    dead = {"serve_pid": 999_999_999, "serve_started": None}
    live = {"serve_pid": serve.pid, "serve_started": process_start(serve.pid)} if serve else dead
    entry = live | {"server_pid": server.pid, "server_started": process_start(server.pid), "port": port}
    (home / RECORD).write_text(json.dumps(entry))


def test_a_nearly_full_disk_is_one_line_naming_the_folder_and_the_space_needed(tmp_path: Path) -> None:
    more_than_the_disk_has = 2**60
    reason = low_space(tmp_path, floor_mb=more_than_the_disk_has)
    assert reason and str(tmp_path) in reason and "\n" not in reason
    assert low_space(tmp_path, floor_mb=1) is None


def test_a_port_someone_listens_on_is_refused_with_its_number() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port_in_use(port)
        with pytest.raises(ServeError, match=f"port {port} .*--port"):
            claim_port(port)
    assert not port_in_use(port)


def test_the_server_a_killed_serve_left_is_stopped_when_the_record_proves_it_ours(tmp_path: Path) -> None:
    orphan = sleeper()
    try:
        record(tmp_path, None, orphan, 4999)
        stop_orphan(tmp_path)
        assert orphan.wait(timeout=15) != 0  # ended by our SIGTERM
    finally:
        orphan.kill()


def test_a_serve_still_running_on_the_same_home_is_refused_and_its_server_left_alone(tmp_path: Path) -> None:
    serve, server = sleeper(), sleeper()
    try:
        record(tmp_path, serve, server, 4999)
        with pytest.raises(ServeError, match=f"pid {serve.pid}"):
            stop_orphan(tmp_path)
        assert server.poll() is None
    finally:
        serve.kill()
        server.kill()


def test_a_stale_record_whose_pid_was_reused_stops_nothing(tmp_path: Path) -> None:
    stranger = sleeper()
    try:
        entry = {"serve_pid": stranger.pid, "serve_started": "1", "server_pid": stranger.pid, "server_started": "1"}
        (tmp_path / RECORD).write_text(json.dumps(entry | {"port": 4999}))
        stop_orphan(tmp_path)
        assert stranger.poll() is None and is_running(stranger.pid, process_start(stranger.pid))
    finally:
        stranger.kill()


def test_a_flow_run_with_a_live_process_is_found_by_its_run_id() -> None:
    run = sleeper(PREFECT__FLOW_RUN_ID="0190f0e0-0000-7000-8000-000000000001")
    try:
        assert "0190f0e0-0000-7000-8000-000000000001" in live_flow_run_ids()
    finally:
        run.kill()
        run.wait()
    assert "0190f0e0-0000-7000-8000-000000000001" not in live_flow_run_ids()


def test_descendants_reach_grandchildren() -> None:
    parent = subprocess.Popen([sys.executable, "-c", "import subprocess; subprocess.run(['sleep', '300'])"])
    try:
        for _ in range(100):
            if found := descendants(parent.pid):
                break
            subprocess.run(["sleep", "0.1"])
        assert len(found) == 1
        assert descendants(os.getpid())[:1] != []
    finally:
        for pid in descendants(parent.pid):
            os.kill(pid, 9)
        parent.kill()
        parent.wait()


def test_the_listener_on_a_port_is_traced_to_the_process_tree_that_holds_it() -> None:
    listen = (
        "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen();"
        " print(s.getsockname()[1], flush=True); time.sleep(300)"
    )
    holder = subprocess.Popen([sys.executable, "-c", listen], stdout=subprocess.PIPE)
    stranger = sleeper()
    try:
        port = int(holder.stdout.readline())  # type: ignore[union-attr]
        assert listens_on(holder.pid, port) is True
        assert listens_on(stranger.pid, port) is False
        assert listens_on(os.getpid(), port) is True  # the holder is our child: the tree holds it
    finally:
        holder.kill()
        stranger.kill()
        holder.wait()
