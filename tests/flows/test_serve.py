"""`council serve` on a clean data root: a local server with every deployment, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from council.catalog import load_catalog
from tests.flows.serving import answers_port, free_port

COUNCIL = Path(sys.executable).with_name("council")


def test_serve_registers_every_deployment_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()  # never 4200: a developer's own server may hold it, and serve must not use that one
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"COUNCIL_DATA_DIR": str(tmp_path / "data"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            [str(COUNCIL), "serve", "--port", str(port)],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(serve, log)
        request = urllib.request.Request(
            f"{api}/deployments/filter", data=b"{}", headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            names = sorted(d["name"] for d in json.load(response))
        assert names == [
            "council-pack",
            "council-packs-due",
            "inbox-sweep",
            "pack-draft",
            "template-generation",
            "validate-file",
        ]
        assert (tmp_path / "data" / "prefect").is_dir()  # Prefect's SQLite lives under the data root
        # Every centre's drop folder exists from the start, and one sweep runs at once (not at the first tick).
        assert sorted(p.name for p in (tmp_path / "data" / "inbox").iterdir()) == sorted(load_catalog().centres)
        _wait_for(lambda: _sweep_runs(api, created_by_a_schedule=False), 120, log)
        # The UI, a page on port N, calls the API on port N too (Prefect's default would be 4200).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings", timeout=10) as response:
            assert json.load(response)["api_url"] == api
    finally:
        code = _ctrl_c(serve)
    assert code == 0, log.read_text()[-3000:]
    time.sleep(1)
    assert not answers_port(port), "the local Prefect server outlived `council serve`"


def _sweep_runs(api: str, created_by_a_schedule: bool) -> list[dict]:
    body = json.dumps({"deployments": {"name": {"any_": ["inbox-sweep"]}}}).encode()
    request = urllib.request.Request(f"{api}/flow_runs/filter", data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        runs = json.load(response)
    return [r for r in runs if (r.get("auto_scheduled") or False) == created_by_a_schedule]


def _wait_for(condition: Callable[[], object], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(1)


def _wait_until_serving(serve: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 240  # server start-up is slow on a loaded 2-core machine
    while "being served" not in log.read_text():
        assert serve.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(1)


def _ctrl_c(serve: subprocess.Popen[bytes]) -> int:
    """What Ctrl-C in a terminal does: SIGINT to the whole foreground process group."""
    if serve.poll() is None:
        os.killpg(serve.pid, signal.SIGINT)
    return serve.wait(timeout=90)


def test_the_sweep_interval_comes_from_the_settings_for_inbox_sweep_only(tmp_path: Path) -> None:
    from council.settings import Settings
    from flows.serve import deployments

    config = Path(__file__).resolve().parents[2] / "prefect.yaml"
    built = {d.name: d for d in deployments(config, Settings(data_dir=tmp_path, sweep_interval_s=7.5))}
    assert built["inbox-sweep"].schedules[0].schedule.interval.total_seconds() == 7.5
    assert built["council-packs-due"].schedules[0].schedule.cron == "0 6 * * *"  # the daily pack check is untouched
