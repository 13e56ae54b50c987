"""`council serve`: every deployment of prefect.yaml served by this process, plus a local server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from council.settings import Settings

LOCAL_API = "http://127.0.0.1:4200/api"
STARTUP_TIMEOUT_S = 180


def _schedule(entry: dict[str, Any]) -> Any:
    from prefect.schedules import Cron, Interval, RRule

    options = {k: entry[k] for k in ("timezone", "parameters") if k in entry}
    if "interval" in entry:
        return Interval(entry["interval"], **options)
    if "cron" in entry:
        return Cron(entry["cron"], **options)
    return RRule(entry["rrule"], **options)


def deployments(config_path: Path) -> list[Any]:
    """RunnerDeployments built from prefect.yaml, so the YAML stays the single source."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.flows import load_flow_from_entrypoint

    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    built = []
    for spec in config["deployments"]:
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


def start_local_server(settings: Settings) -> subprocess.Popen[bytes]:
    """Prefect's own server on 127.0.0.1:4200 with its SQLite under the data root."""
    home = Path(os.environ.get("PREFECT_HOME", settings.data_dir / "prefect"))
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    # Its own session: Ctrl-C reaches `council serve` alone, which pauses its deployments while the
    # server is still up and then stops the server (a server that dies first leaves the runner retrying).
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", "4200"]
    server = subprocess.Popen(command, env=env, start_new_session=True)
    _wait_healthy(LOCAL_API, server)
    os.environ["PREFECT_API_URL"] = LOCAL_API
    return server


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_all(settings: Settings, config_path: Path) -> None:
    """Serve until Ctrl-C; stops the local server it started on the way out."""
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop is a Ctrl-C
    server = None if os.environ.get("PREFECT_API_URL") else start_local_server(settings)
    try:
        from prefect import serve

        serve(*deployments(config_path))
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
