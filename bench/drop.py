"""Item 7: drop to feedback with `council serve` running, on the interval schedule and with `--watch`.

Each mode starts `council serve` on a free port with a fresh data root and PREFECT_HOME, waits until the
deployments are served, copies one typical sample workbook into a drop folder and times until its feedback
workbook appears in the outbox. The interval mode drops just after a scheduled sweep has started (the file
misses that tick: the worst phase), so its figure is about one interval plus the sweep's own time.

Run alone: .venv/bin/python -m bench.drop [--interval 30]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import NOW, ROOT, temp_folder

COUNCIL = Path(sys.executable).with_name("council")
TARGET_MARGIN_S = 10.0  # issue 6: drop to feedback ≤ the sweep interval + 10 s
WATCH_TARGET_S = 15.0
STARTUP_TIMEOUT_S = 300
FEEDBACK_TIMEOUT_S = 600


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _samples(staging: Path, count: int = 2) -> list[tuple[str, Path]]:
    """Typical sample submissions (as `council samples` writes them) of the first centres, outside the inbox."""
    from council.catalog import load_catalog
    from tasks.samples.files import sample_filename, sample_workbook

    catalog, period = load_catalog(), "2026S1"
    staging.mkdir(parents=True, exist_ok=True)
    written = []
    for centre in list(catalog.centres)[:count]:
        path = staging / sample_filename(catalog, centre, period)
        path.write_bytes(sample_workbook(catalog, centre, period))
        written.append((centre, path))
    return written


def _api(port: int, route: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{route}",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def _sweep_runs(port: int, states: list[str] | None = None) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"deployments": {"name": {"any_": ["inbox-sweep"]}}, "sort": "EXPECTED_START_TIME_ASC"}
    if states:
        body["flow_runs"] = {"state": {"type": {"any_": states}}}
    return _api(port, "flow_runs/filter", body)


def _start_serve(folder: Path, port: int, watch: bool, interval_s: float) -> tuple[subprocess.Popen[bytes], Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "COUNCIL_"))}
    env |= {
        "COUNCIL_DATA_DIR": str(folder / "data"),
        "COUNCIL_NOW": NOW,  # the sample's period is open: the verdict is an ordinary one
        "COUNCIL_SWEEP_INTERVAL_S": str(interval_s),
        "PREFECT_HOME": str(folder / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    log = folder / "serve.log"
    command = [str(COUNCIL), "serve", "--port", str(port), *(["--watch"] if watch else [])]
    with log.open("w") as out:
        serve = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while "being served" not in log.read_text(errors="replace"):
        if serve.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"council serve did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    return serve, log


def _stop(serve: subprocess.Popen[bytes]) -> None:
    """A service manager's stop. Not SIGINT: a bench started in the background inherits SIGINT ignored."""
    if serve.poll() is None:
        serve.send_signal(signal.SIGTERM)
    try:
        serve.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        serve.wait()


def _wait_for(check: Any, timeout: float, what: str, poll: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} within {timeout:.0f} s")
        time.sleep(poll)
    return found


def _drop(folder: Path, centre: str, sample: Path) -> Callable[[], list[Path]]:
    """Copy the workbook in as a user would (created, then written); returns a check for its feedback."""
    target = folder / "data" / "inbox" / centre / sample.name
    target.parent.mkdir(parents=True, exist_ok=True)  # the first sweep makes the folders; it may be just starting
    shutil.copyfile(sample, target)
    return lambda: list((folder / "data" / "outbox" / centre).glob("*_feedback.xlsx"))


def _drop_and_time(folder: Path, centre: str, sample: Path) -> float:
    start = time.monotonic()
    _wait_for(_drop(folder, centre, sample), FEEDBACK_TIMEOUT_S, "feedback workbook")
    return time.monotonic() - start


def _overlap(folder: Path, port: int, first: tuple[str, Path], second: tuple[str, Path]) -> float:
    """Drop a file, then a second one while the first one's sweep runs: seconds from that drop to its feedback."""
    answered = _drop(folder, *first)
    _wait_for(lambda: _sweep_runs(port, ["RUNNING"]), FEEDBACK_TIMEOUT_S, "running sweep", poll=0.1)
    start = time.monotonic()
    second_answered = _drop(folder, *second)
    _wait_for(second_answered, FEEDBACK_TIMEOUT_S, "feedback to the file dropped during a sweep")
    if not answered():
        raise RuntimeError("the first file was not answered")
    return time.monotonic() - start


def _runs_summary(port: int) -> list[dict[str, Any]]:
    """Every inbox-sweep run that started: who created it and how it ended (a cancelled run = an overlap)."""
    return [
        {
            "state": run["state"]["type"] if run.get("state") else None,
            "created_by": (run.get("created_by") or {}).get("type"),
            "run_s": round(run.get("total_run_time") or 0.0, 2),
        }
        for run in _sweep_runs(port)
        if run.get("state") and run["state"]["type"] not in ("SCHEDULED",)
    ]


def measure_mode(watch: bool, interval_s: float) -> dict[str, Any]:
    """One `council serve` session: start, drop one workbook, time to feedback (with --watch, then the overlap)."""
    folder, port = temp_folder("drop"), _free_port()
    samples = _samples(folder / "staging", 3)
    start = time.monotonic()
    serve, log = _start_serve(folder, port, watch, interval_s)
    result: dict[str, Any] = {"watch": watch, "interval_s": interval_s}
    result["serve_start_s"] = round(time.monotonic() - start, 1)
    try:
        if watch:
            _wait_for(lambda: not _sweep_runs(port, ["PENDING", "RUNNING"]), 120, "idle sweep", poll=0.2)
        else:  # drop just after a scheduled sweep has started: the file misses it and waits for the next tick
            _wait_for(lambda: _sweep_runs(port, ["RUNNING"]), interval_s * 3 + 60, "running sweep", poll=0.2)
        result["drop_to_feedback_s"] = round(_drop_and_time(folder, *samples[0]), 2)
        if watch:
            _wait_for(lambda: not _sweep_runs(port, ["PENDING", "RUNNING"]), 120, "idle sweep", poll=0.2)
            result["dropped_during_sweep_s"] = round(_overlap(folder, port, samples[1], samples[2]), 2)
        time.sleep(1)
        result["runs"] = _runs_summary(port)
    finally:
        _stop(serve)
    result["target_s"] = WATCH_TARGET_S if watch else interval_s + TARGET_MARGIN_S
    result["margin_s"] = round(result["target_s"] - result["drop_to_feedback_s"], 2)
    if serve.returncode == 0:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        result["log"] = str(log)
    return result


def measure(interval_s: float = 30.0, watch_runs: int = 1) -> dict[str, Any]:
    """The interval mode once (its figure is set by the interval) and the watch mode `watch_runs` times."""
    watched = [measure_mode(True, 300.0) for _ in range(watch_runs)]
    figures = sorted(w["drop_to_feedback_s"] for w in watched)
    return {
        "interval": measure_mode(False, interval_s),
        "watch": {**watched[len(watched) // 2], "all_s": figures},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=30.0, help="inbox-sweep interval for the interval mode (s)")
    parser.add_argument("--watch-runs", type=int, default=1, help="repeat the --watch measurement this many times")
    args = parser.parse_args()
    print(json.dumps(measure(args.interval, args.watch_runs), indent=2))


if __name__ == "__main__":
    main()
