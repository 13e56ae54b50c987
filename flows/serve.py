"""`council serve`: every deployment of prefect.yaml served by this process, plus a local server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from council.settings import Settings

DEFAULT_PORT = 4200
STARTUP_TIMEOUT_S = 180
SWEEP = "inbox-sweep"
# How often the runner asks the server for runs that are due. Prefect's default (10 s) adds up to 10 s (5 s on
# average) to every drop-to-feedback, against a ~15 s budget with --watch; one small query a second on a local
# server costs nothing noticeable. PREFECT_RUNNER_POLL_FREQUENCY, when set, wins.
POLL_S = 1


def _schedule(entry: dict[str, Any]) -> Any:
    from prefect.schedules import Cron, Interval, RRule

    options = {k: entry[k] for k in ("timezone", "parameters") if k in entry}
    if "interval" in entry:
        return Interval(entry["interval"], **options)
    if "cron" in entry:
        return Cron(entry["cron"], **options)
    return RRule(entry["rrule"], **options)


def _triggers(spec: dict[str, Any]) -> list[Any]:
    """The `triggers:` of a deployment, parsed as `prefect deploy` parses them."""
    from prefect.events import DeploymentTriggerTypes
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(DeploymentTriggerTypes)
    return [adapter.validate_python(t) for t in spec.get("triggers") or []]


def _sweep_interval(spec: dict[str, Any]) -> dict[str, Any]:
    """COUNCIL_SWEEP_INTERVAL_S overrides the inbox-sweep interval (benchmarks, a site wanting a faster tick)."""
    seconds = os.environ.get("COUNCIL_SWEEP_INTERVAL_S")
    if spec["name"] != SWEEP or not seconds:
        return spec
    schedules = [{**s, "interval": float(seconds)} if "interval" in s else s for s in spec.get("schedules", [])]
    return {**spec, "schedules": schedules}


def deployments(config_path: Path) -> list[Any]:
    """RunnerDeployments built from prefect.yaml, so the YAML stays the single source."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.flows import load_flow_from_entrypoint

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    built = []
    for spec in map(_sweep_interval, config["deployments"]):
        flow = load_flow_from_entrypoint(str(config_path.parent / spec["entrypoint"]))
        limit = spec.get("concurrency_limit")
        built.append(
            flow.to_deployment(
                name=spec["name"],
                description=spec.get("description"),
                tags=spec.get("tags"),
                parameters=spec.get("parameters") or {},
                schedules=[_schedule(s) for s in spec.get("schedules", [])],
                concurrency_limit=ConcurrencyLimitConfig(**limit) if limit else None,
                triggers=_triggers(spec),
            )
        )
    return built


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the Prefect server exited during start-up")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer at {url} within {STARTUP_TIMEOUT_S} s")


def start_local_server(settings: Settings, port: int = DEFAULT_PORT) -> subprocess.Popen[bytes]:
    """Prefect's own server on 127.0.0.1:`port` with its SQLite under the data root."""
    home = Path(os.environ.get("PREFECT_HOME", settings.data_dir / "prefect"))
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    # Its own session: Ctrl-C reaches `council serve` alone, which pauses its deployments while the
    # server is still up and then stops the server (a server that dies first leaves the runner retrying).
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    _wait_healthy(api, server)
    os.environ["PREFECT_API_URL"] = api
    return server


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def start_watcher(settings: Settings) -> threading.Event:
    """`--watch`: a daemon thread asking for a sweep as soon as a dropped file settles; set the event to stop it."""
    from council.catalog import load_catalog
    from tasks.intake.watch import InboxWatcher, SettleTracker, emit_settled, sweep_active

    watcher = InboxWatcher(
        inbox=settings.inbox,
        centres=list(load_catalog().centres),
        tracker=SettleTracker(settle_s=settings.settle_seconds),
        emit=emit_settled,
        sweep_active=sweep_active,
    )
    threading.Thread(target=watcher.run, name="council-inbox-watcher", daemon=True).start()
    return watcher.stop


def _runner_options() -> dict[str, Any]:
    return {} if os.environ.get("PREFECT_RUNNER_POLL_FREQUENCY") else {"query_seconds": POLL_S}


def serve_all(settings: Settings, config_path: Path, port: int = DEFAULT_PORT, watch: bool = False) -> None:
    """Serve until Ctrl-C; stops the local server it started on the way out."""
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop is a Ctrl-C
    server = None if os.environ.get("PREFECT_API_URL") else start_local_server(settings, port)
    stop_watching = start_watcher(settings) if watch else None
    try:
        from prefect import serve

        serve(*deployments(config_path), **_runner_options())
    except KeyboardInterrupt:
        pass
    finally:
        if stop_watching is not None:
            stop_watching.set()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
