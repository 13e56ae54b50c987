"""A power cut under `council serve`: serve and its local server SIGKILLed mid-sweep, then started again."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import duckdb

from tests.flows.serving import (
    ACTIVE,
    alive,
    answers_port,
    children_of,
    free_port,
    kill_group,
    kill_serve,
    leak_a_sweep_slot,
    local_server_pid,
    serve_env,
    start_serve,
    state_of,
    stop,
    sweep_runs,
    sweep_slots,
    tail,
    wait,
    wait_until_serving,
)
from tests.requires import unavailable

SWEPT_AT = "2026-07-20T09:00:00+00:00"  # before 2026S1's due date: every file gets a verdict, none is held
CENTRES = ("AGRO", "OILGAS", "ELEC", "HEALTH", "MINMET", "ENERGY", "MACH", "CHEM")
VERDICTS = ("accepted", "accepted_with_warnings", "rejected", "held")
SIGTERM_BUDGET_S = 15


def drop_every_centres_report(inbox: Path) -> None:
    from council.catalog import load_catalog
    from tasks.samples import sample_workbook

    catalog = load_catalog()
    for centre in CENTRES:
        (inbox / centre).mkdir(parents=True, exist_ok=True)
        (inbox / centre / f"{centre}_2026S1.xlsx").write_bytes(sample_workbook(catalog, centre, "2026S1"))


def feedback_files(data: Path) -> list[Path]:
    return sorted((data / "outbox").glob("*/*_feedback.xlsx"))


def running_sweep(port: int) -> str | None:
    return next((str(r["id"]) for r in sweep_runs(port) if state_of(r) == "RUNNING"), None)


def verdicts_per_submission(data: Path) -> dict[str, int]:
    with duckdb.connect(str(data / "warehouse" / "council.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT s.submission_id, count(l.event) FROM submissions s LEFT JOIN ledger l"
            f" ON l.submission_id = s.submission_id AND l.event IN {VERDICTS} GROUP BY ALL"
        ).fetchall()
    return dict(rows)


def power_cut(serve_pid: int, server_pid: int) -> None:
    """SIGKILL to serve's whole group (its flow-run children too) and to its server's: nothing runs a handler."""
    kill_group(serve_pid)
    kill_group(server_pid)
    wait(lambda: not alive(serve_pid) and not alive(server_pid), 30, "the killed processes to go")


def test_serve_killed_mid_sweep_with_its_server_answers_every_file_once_after_a_restart(tmp_path: Path) -> None:
    data, port, log = tmp_path / "data", free_port(), tmp_path / "serve.log"
    env = serve_env(data, COUNCIL_SETTLE_SECONDS="0", COUNCIL_NOW=SWEPT_AT, COUNCIL_SWEEP_INTERVAL_S="3")
    drop_every_centres_report(data / "inbox")

    first = start_serve(port, env, log)
    try:
        wait_until_serving(first, log)
        wait(lambda: running_sweep(port) and feedback_files(data), 300, "a sweep that has answered a file")
        killed_run, server_pid = running_sweep(port), local_server_pid(first.pid)
        assert killed_run, "the sweep finished before it could be killed"
        power_cut(first.pid, server_pid)
    finally:
        kill_serve(first, data)
    assert not answers_port(port)

    second = start_serve(port, env, log)
    try:
        wait_until_serving(second, log)
        wait(lambda: len(feedback_files(data)) >= len(CENTRES), 300, f"every file answered\n{tail(log)}")
        wait(lambda: not any(state_of(r) in ("PENDING", "RUNNING") for r in sweep_runs(port)), 300, "sweeps to end")
        states = {str(r["id"]): state_of(r) for r in sweep_runs(port)}
        started = time.monotonic()
        code = stop(second, signal.SIGTERM)
        stopped_in = time.monotonic() - started
    finally:
        kill_serve(second, data)

    assert states[killed_run] == "CRASHED", tail(log)
    assert "COMPLETED" in states.values(), tail(log)
    assert code == 0, tail(log)
    assert stopped_in < SIGTERM_BUDGET_S, f"SIGTERM took {stopped_in:.1f} s"
    per_centre = {centre: len(list((data / "outbox" / centre).glob("*_feedback.xlsx"))) for centre in CENTRES}
    assert per_centre == dict.fromkeys(CENTRES, 1), per_centre
    verdicts = verdicts_per_submission(data)
    assert len(verdicts) == len(CENTRES) and set(verdicts.values()) == {1}, verdicts
    assert not answers_port(port), "the local Prefect server outlived `council serve`"


def serve_lines(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines() if line.startswith("council serve:")]


def test_a_port_taken_by_a_program_serve_did_not_start_stops_it_with_one_line(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with socket.socket() as stranger:
        stranger.bind(("127.0.0.1", 0))
        stranger.listen()
        port = stranger.getsockname()[1]
        serve = start_serve(port, serve_env(tmp_path / "data"), log)
        try:
            code = serve.wait(timeout=120)
        finally:
            kill_serve(serve, tmp_path / "data")
    assert code == 1, tail(log)
    [line] = serve_lines(log)
    assert f"port {port}" in line and "--port" in line, line
    assert "server start" not in tail(log) and not (tmp_path / "data" / "prefect" / "council-serve.json").exists()


def test_a_nearly_full_disk_under_the_database_stops_serve_with_one_line(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(small)], capture_output=True).returncode:
        unavailable("mounting a small tmpfs needs root")
    log = tmp_path / "serve.log"
    try:
        serve = start_serve(free_port(), serve_env(small / "data"), log)
        try:
            code = serve.wait(timeout=120)
        finally:
            kill_serve(serve, small / "data")
    finally:
        subprocess.run(["umount", "-l", str(small)], check=True)
    assert code == 1, tail(log)
    [line] = serve_lines(log)
    assert "MB free" in line and str(small / "data" / "prefect") in line, line


def test_an_orphan_server_is_stopped_and_a_server_dying_under_serve_ends_it_with_one_line(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    env = serve_env(data, COUNCIL_SWEEP_INTERVAL_S="86400")  # no sweep of its own takes the slot in the test
    first = start_serve(port, env, first_log)
    orphan = 0
    try:
        wait_until_serving(first, first_log)
        wait(lambda: not any(state_of(r) in ACTIVE for r in sweep_runs(port)), 120, "the first sweep to end")
        leak_a_sweep_slot(port)
        orphan = local_server_pid(first.pid)
        kill_group(first.pid)  # serve alone is killed: its server, in its own session, keeps the port
        first.wait(timeout=30)
        assert answers_port(port)

        second = start_serve(port, env, second_log)
        try:
            wait_until_serving(second, second_log)
            assert not alive(orphan), "the orphan server is still running"
            # serve's own start-up sweep may hold the slot for a moment; a leaked slot never comes back to 0
            # (the start-up sweep would be cancelled by the concurrency limit and the count stays at 1).
            wait(lambda: not any(state_of(r) in ACTIVE for r in sweep_runs(port)), 120, "the start-up sweep to end")
            assert sweep_slots(port) == 0, "the leaked slot is still taken"
            kill_group(local_server_pid(second.pid))  # the server dies under a running serve
            started = time.monotonic()
            code = second.wait(timeout=60)
            noticed_in = time.monotonic() - started
        finally:
            kill_serve(second, data)
    finally:
        kill_serve(first, data)
        if orphan:
            kill_group(orphan)
    assert code == 1, tail(second_log)
    stopped_orphan, freed, died = serve_lines(second_log)
    assert f"pid {orphan}" in stopped_orphan, stopped_orphan
    assert "inbox-sweep: freed 1 leaked concurrency slot" in freed, freed
    assert "exited" in died and f"port {port}" in died, died
    assert noticed_in < 10, noticed_in
    assert not answers_port(port)


def test_a_disk_filling_up_under_a_running_serve_stops_it_with_one_line(tmp_path: Path) -> None:
    from flows.local_server import MIN_FREE_MB

    small = tmp_path / "small"
    small.mkdir()
    size_mb = MIN_FREE_MB + 80  # room to start, and to be filled below the floor without filling the disk
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(small)], capture_output=True
    ).returncode:
        unavailable("mounting a small tmpfs needs root")
    data, log = small / "data", tmp_path / "serve.log"
    try:
        serve = start_serve(free_port(), serve_env(data), log)
        try:
            wait_until_serving(serve, log)
            free_mb = shutil.disk_usage(small).free / 2**20
            (small / "ballast").write_bytes(bytes(int((free_mb - MIN_FREE_MB / 2) * 2**20)))
            code = serve.wait(timeout=90)
        finally:
            kill_serve(serve, data)
    finally:
        subprocess.run(["umount", "-l", str(small)], check=True)
    assert code == 1, tail(log)
    [line] = serve_lines(log)
    assert "MB free" in line, line


def test_sigterm_mid_sweep_stops_serve_its_flow_run_and_its_server_within_seconds(tmp_path: Path) -> None:
    data, port, log = tmp_path / "data", free_port(), tmp_path / "serve.log"
    env = serve_env(data, COUNCIL_SETTLE_SECONDS="0", COUNCIL_NOW=SWEPT_AT, COUNCIL_SWEEP_INTERVAL_S="3")
    drop_every_centres_report(data / "inbox")
    serve = start_serve(port, env, log)
    try:
        wait_until_serving(serve, log)
        wait(lambda: running_sweep(port), 300, "a running sweep")
        family = [serve.pid, *children_of(serve.pid)]
        started = time.monotonic()
        code = stop(serve, signal.SIGTERM)
        stopped_in = time.monotonic() - started
    finally:
        kill_serve(serve, data)
    assert code == 0, tail(log)
    assert stopped_in < SIGTERM_BUDGET_S, f"SIGTERM took {stopped_in:.1f} s\n{tail(log)}"
    assert not [pid for pid in family if alive(pid)], "a process of serve outlived it"
    assert not answers_port(port)


def test_sigterm_while_the_server_starts_leaves_no_server_behind(tmp_path: Path) -> None:
    data, port, log = tmp_path / "data", free_port(), tmp_path / "serve.log"
    serve = start_serve(port, serve_env(data), log)
    try:
        wait(lambda: (data / "prefect" / "council-serve.json").exists() or serve.poll() is not None, 120, tail(log))
        server = local_server_pid(serve.pid)
        code = stop(serve, signal.SIGTERM, timeout=SIGTERM_BUDGET_S)
    finally:
        kill_serve(serve, data)
    assert code == 0, tail(log)
    wait(lambda: not alive(server), 5, "the server to go")
