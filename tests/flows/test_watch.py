"""`council serve --watch`: settle-then-ask logic on an injected clock, the watchdog wiring, and one real served run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from flows.serve import _runner_options, deployments
from flows.watch_events import EVENT
from tasks.intake.watch import InboxWatcher, SettleTracker, _Changes, centre_of

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "prefect.yaml"
COUNCIL = Path(sys.executable).with_name("council")


class Asks:
    """A fake sweep controller: records what the watcher asks for and says whether a sweep is running."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, list[str]]] = []
        self.running = False

    def emit(self, centre: str, names: list[str]) -> None:
        self.asked.append((centre, names))

    def active(self) -> bool:
        return self.running


def tracker(settle: float = 5.0) -> SettleTracker:
    return SettleTracker(settle_s=settle, hold_off_s=20.0, max_requests=3)


def agro(path: Path) -> str | None:
    return "AGRO"


# --- which paths are submissions ------------------------------------------------------------------------


def test_centre_of_takes_only_files_directly_in_a_known_drop_folder(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    assert centre_of(inbox / "AGRO" / "report.xlsx", inbox, ["AGRO"]) == "AGRO"
    assert centre_of(inbox / "AGRO" / "отчёт.csv", inbox, ["AGRO"]) == "AGRO"  # any file gets an answer
    assert centre_of(inbox / "NOPE" / "report.xlsx", inbox, ["AGRO"]) is None
    assert centre_of(inbox / "AGRO" / "sub" / "report.xlsx", inbox, ["AGRO"]) is None
    assert centre_of(inbox / "AGRO" / "~$report.xlsx", inbox, ["AGRO"]) is None  # Excel's lock file
    assert centre_of(inbox / "AGRO" / ".DS_Store", inbox, ["AGRO"]) is None
    assert centre_of(tmp_path / "elsewhere" / "report.xlsx", inbox, ["AGRO"]) is None


# --- settle, then ask once no sweep runs ------------------------------------------------------------------


def test_a_file_is_asked_for_only_after_it_has_been_quiet_for_the_settle_time() -> None:
    t, asks, path = tracker(settle=5.0), Asks(), Path("inbox/AGRO/a.xlsx")
    t.touch(path, now=100.0)
    t.touch(path, now=103.0)  # still being copied
    t.settle(107.9, agro)
    assert t.due(107.9, asks.active) == {}
    t.settle(108.0, agro)
    assert t.due(108.0, asks.active) == {"AGRO": ["a.xlsx"]}


def test_files_settling_together_are_asked_for_once_per_centre() -> None:
    t, asks = tracker(settle=1.0), Asks()
    for name in ("a.xlsx", "b.xlsx"):
        t.touch(Path("inbox/AGRO") / name, now=0.0)
    t.touch(Path("inbox/HEALTH/c.xlsx"), now=0.0)
    t.settle(1.0, lambda p: p.parent.name)
    assert t.due(1.0, asks.active) == {"AGRO": ["a.xlsx", "b.xlsx"], "HEALTH": ["c.xlsx"]}


def test_a_file_that_vanished_before_settling_is_not_asked_for() -> None:
    t, asks = tracker(settle=1.0), Asks()
    t.touch(Path("inbox/AGRO/tmp.xlsx"), now=0.0)
    t.settle(2.0, lambda p: None)  # gone (or a folder) by the time it settled
    assert t.due(2.0, asks.active) == {}


def test_nothing_is_asked_while_a_sweep_runs_and_the_file_is_asked_for_as_soon_as_it_ends() -> None:
    t, asks, path = tracker(settle=1.0), Asks(), Path("inbox/AGRO/late.xlsx")
    asks.running = True  # the file landed after the running sweep listed the inbox
    t.touch(path, now=0.0)
    t.settle(1.0, agro)
    assert t.due(1.0, asks.active) == {}
    asks.running = False
    assert t.due(1.5, asks.active) == {"AGRO": ["late.xlsx"]}


def test_the_ask_is_not_repeated_until_the_sweep_it_started_has_ended() -> None:
    t, asks, path = tracker(settle=1.0), Asks(), Path("inbox/AGRO/a.xlsx")
    t.touch(path, now=0.0)
    t.settle(1.0, agro)
    assert t.due(1.0, asks.active)
    assert t.due(2.0, asks.active) == {}  # the run is being created: do not ask twice
    asks.running = True
    assert t.due(4.0, asks.active) == {}
    asks.running = False  # that sweep ended and left the file in the inbox (it was not settled for it)
    assert t.due(12.0, asks.active) == {"AGRO": ["a.xlsx"]}


def test_a_file_settling_before_the_asked_sweep_starts_is_asked_for_alone() -> None:
    t, asks = tracker(settle=1.0), Asks()
    t.touch(Path("inbox/AGRO/a.xlsx"), now=0.0)
    t.settle(1.0, agro)
    assert t.due(1.0, asks.active) == {"AGRO": ["a.xlsx"]}
    t.touch(Path("inbox/AGRO/b.xlsx"), now=1.0)
    t.settle(2.0, agro)
    assert t.due(2.0, asks.active) == {"AGRO": ["b.xlsx"]}
    assert t.requests == {Path("inbox/AGRO/a.xlsx"): 1, Path("inbox/AGRO/b.xlsx"): 1}


def test_a_lost_ask_is_repeated_after_the_hold_off() -> None:
    t, asks, path = tracker(settle=1.0), Asks(), Path("inbox/AGRO/a.xlsx")
    t.touch(path, now=0.0)
    t.settle(1.0, agro)
    assert t.due(1.0, asks.active)
    assert t.due(20.9, asks.active) == {}  # no sweep seen: the automation may still be starting it
    assert t.due(21.0, asks.active) == {"AGRO": ["a.xlsx"]}


def test_a_file_the_sweeps_keep_leaving_is_left_to_the_interval_schedule() -> None:
    t, asks, path = tracker(settle=1.0), Asks(), Path("inbox/AGRO/stuck.xlsx")
    t.touch(path, now=0.0)
    t.settle(1.0, agro)
    asked = [bool(t.due(1.0 + 30 * n, asks.active)) for n in range(5)]
    assert asked == [True, True, True, False, False]


def test_a_file_taken_by_a_sweep_is_forgotten_and_a_rewritten_one_starts_again() -> None:
    t, asks = tracker(settle=1.0), Asks()
    taken, rewritten = Path("inbox/AGRO/taken.xlsx"), Path("inbox/AGRO/rewritten.xlsx")
    for path in (taken, rewritten):
        t.touch(path, now=0.0)
    t.settle(1.0, agro)
    assert t.due(1.0, asks.active)
    t.prune(lambda p: p != taken)  # the sweep moved it to processed/
    t.touch(rewritten, now=2.0)  # saved again by its author: quiet time restarts, asks reset
    assert t.waiting == {} and t.requests == {}
    t.settle(3.0, agro)
    assert t.due(3.0, asks.active) == {"AGRO": ["rewritten.xlsx"]}


# --- watchdog events -> tracker changes ------------------------------------------------------------------


def test_watchdog_events_become_touches_and_departures() -> None:
    import queue

    from watchdog import events as fs

    changes: queue.SimpleQueue[tuple[str, Path]] = queue.SimpleQueue()
    handler = _Changes(changes)
    for event in (
        fs.FileCreatedEvent("/i/AGRO/a.xlsx"),
        fs.FileModifiedEvent("/i/AGRO/a.xlsx"),
        fs.FileClosedEvent("/i/AGRO/a.xlsx"),
        fs.FileOpenedEvent("/i/AGRO/a.xlsx"),  # a read is not a change
        fs.DirCreatedEvent("/i/AGRO/sub"),
        fs.FileMovedEvent("/i/AGRO/a.xlsx.part", "/i/AGRO/b.xlsx"),
        fs.FileDeletedEvent("/i/AGRO/a.xlsx"),
    ):
        handler.on_any_event(event)
    seen = [changes.get_nowait() for _ in range(changes.qsize())]
    assert seen == [
        ("touch", Path("/i/AGRO/a.xlsx")),
        ("touch", Path("/i/AGRO/a.xlsx")),
        ("touch", Path("/i/AGRO/a.xlsx")),
        ("gone", Path("/i/AGRO/a.xlsx.part")),
        ("touch", Path("/i/AGRO/b.xlsx")),
        ("gone", Path("/i/AGRO/a.xlsx")),
    ]


def _wait(condition: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_the_watcher_asks_for_a_file_copied_into_a_drop_folder(tmp_path: Path) -> None:
    """Real watchdog observer on a temp inbox; the file already there at start-up is asked for too."""
    inbox, asks = tmp_path / "inbox", Asks()
    (inbox / "AGRO").mkdir(parents=True)
    (inbox / "AGRO" / "before.xlsx").write_bytes(b"PK")
    (inbox / "AGRO" / "~$before.xlsx").write_bytes(b"lock")
    watcher = InboxWatcher(inbox, ["AGRO", "HEALTH"], tracker(settle=0.2), asks.emit, asks.active)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        _wait(lambda: asks.asked)
        (inbox / "HEALTH" / "dropped.xlsx").write_bytes(b"PK" * 1000)
        _wait(lambda: len(asks.asked) == 2)
    finally:
        watcher.stop.set()
        thread.join(timeout=10)
    assert asks.asked == [("AGRO", ["before.xlsx"]), ("HEALTH", ["dropped.xlsx"])]


# --- the deployment side ---------------------------------------------------------------------------------


def test_inbox_sweep_has_a_trigger_on_the_watchers_event() -> None:
    sweep = {d.name: d for d in deployments(CONFIG)}["inbox-sweep"]
    [trigger] = sweep.triggers
    assert trigger.expect == {EVENT}
    assert trigger.match.root == {"prefect.resource.id": "council.inbox.*"}
    assert trigger.enabled and trigger.parameters is None  # the same sweep of every drop folder


def test_the_sweep_interval_can_be_overridden_for_inbox_sweep_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_SWEEP_INTERVAL_S", "30")
    built = {d.name: d for d in deployments(CONFIG)}
    assert built["inbox-sweep"].schedules[0].schedule.interval.total_seconds() == 30
    assert built["council-packs-due"].schedules[0].schedule.cron == "0 6 * * *"


def test_the_runner_polls_every_second_unless_prefect_is_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PREFECT_RUNNER_POLL_FREQUENCY", raising=False)
    assert _runner_options() == {"query_seconds": 1}
    monkeypatch.setenv("PREFECT_RUNNER_POLL_FREQUENCY", "10")
    assert _runner_options() == {}


# --- one real `council serve --watch` ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sweep_runs(port: int) -> list[dict[str, object]]:
    body = json.dumps({"deployments": {"name": {"any_": ["inbox-sweep"]}}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/flow_runs/filter", data=body, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_serve_watch_answers_a_dropped_file_through_the_event_trigger(tmp_path: Path) -> None:
    """The watcher's event reaches the server's automation, which runs inbox-sweep, which writes the feedback."""
    from council.catalog import load_catalog
    from tasks.samples.files import sample_workbook

    port, data = _free_port(), tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "COUNCIL_"))}
    env |= {
        "COUNCIL_DATA_DIR": str(data),
        "COUNCIL_SETTLE_SECONDS": "1",
        "COUNCIL_NOW": "2026-07-20T10:00:00",
        "COUNCIL_SWEEP_INTERVAL_S": "86400",  # only the trigger can answer within the test
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    staged = tmp_path / "AGRO_2026S1.xlsx"
    staged.write_bytes(sample_workbook(load_catalog(), "AGRO", "2026S1"))
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            [str(COUNCIL), "serve", "--watch", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait(lambda: serve.poll() is not None or "being served" in log.read_text(errors="replace"), 240)
        assert serve.poll() is None, log.read_text(errors="replace")[-3000:]
        # serve sweeps once at start (files that came while it was down): let that sweep end first, so the
        # file dropped below can only be answered through the watcher's event.
        _wait(lambda: any(r["state"]["type"] == "COMPLETED" for r in _sweep_runs(port)), 240)
        _wait(lambda: not any(r["state"]["type"] in ("PENDING", "RUNNING") for r in _sweep_runs(port)), 120)
        shutil.copyfile(staged, data / "inbox" / "AGRO" / staged.name)
        _wait(lambda: list((data / "outbox" / "AGRO").glob("*_feedback.xlsx")), 240)
        creators = {
            (r.get("created_by") or {}).get("type") for r in _sweep_runs(port) if r["state"]["type"] != "SCHEDULED"
        }
        assert "AUTOMATION" in creators, log.read_text(errors="replace")[-3000:]
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)  # as a service manager stops it
        code = serve.wait(timeout=90)
    assert code == 0, log.read_text(errors="replace")[-3000:]
