"""`council serve`: every deployment of prefect.yaml served by this process, plus a local server.

It is built to be killed: on start it stops a server a killed serve left behind and marks the runs that died
with the last one Crashed, so their concurrency slots come back (flows/dead_runs.py); it never uses a server
it did not start (flows/local_server.py); when its server dies it exits 1 with one line and leaves the restart
to whoever runs it (a service manager), since a server that died of a full disk or a broken database would
only die again in a loop of logs.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import yaml

from council.settings import Settings
from flows.dead_runs import release_dead_runs
from flows.local_server import (
    STARTUP_TIMEOUT_S,
    LocalServer,
    ServeError,
    say,
    start_local_server,
    stop_local_server,
    why_stop,
)
from flows.processes import descendants, kill_all

DEFAULT_PORT = 4200
WATCH_S = 1.0
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


def _sweep_interval(spec: dict[str, Any], seconds: float | None) -> dict[str, Any]:
    """COUNCIL_SWEEP_INTERVAL_S overrides the inbox-sweep interval (benchmarks, a site wanting a faster tick)."""
    if spec["name"] != SWEEP or not seconds:
        return spec
    schedules = [{**s, "interval": seconds} if "interval" in s else s for s in spec.get("schedules", [])]
    return {**spec, "schedules": schedules}


def _entrypoint(config_path: Path, entrypoint: str) -> tuple[str, Any]:
    """A flow file beside the config (a checkout), else its module (`flows/pack.py:f` → `flows.pack:f`) as installed."""
    from prefect.types.entrypoint import EntrypointType

    file, function = entrypoint.rsplit(":", 1)
    if (config_path.parent / file).is_file():
        return str(config_path.parent / entrypoint), EntrypointType.FILE_PATH
    module = file.removesuffix(".py").replace("/", ".")
    return f"{module}:{function}", EntrypointType.MODULE_PATH


def deployments(config_path: Path, settings: Settings | None = None) -> list[Any]:
    """RunnerDeployments built from prefect.yaml, so the YAML stays the single source."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig
    from prefect.flows import Flow, load_flow_from_entrypoint

    interval = (settings or Settings.from_env()).sweep_interval_s
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    built = []
    for spec in (_sweep_interval(spec, interval) for spec in config["deployments"]):
        entrypoint, entrypoint_type = _entrypoint(config_path, spec["entrypoint"])
        flow: Flow[..., Any] = load_flow_from_entrypoint(entrypoint)
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
                entrypoint_type=entrypoint_type,
            )
        )
    return built


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def start_watcher(settings: Settings) -> threading.Event:
    """`--watch`: a daemon thread asking for a sweep as soon as a dropped file settles; set the event to stop it."""
    from council.catalog import load_catalog
    from flows.watch_events import emit_settled, sweep_active
    from tasks.intake.watch import InboxWatcher, SettleTracker

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


def _die_with_server(line: str) -> None:
    """The server is gone: nothing can be reported to it, so no graceful stop; the next start cleans up."""
    say(line)
    kill_all(descendants(os.getpid()))  # in-flight flow runs: their claims in the ledger are retried
    os._exit(1)


def watch_server(server: LocalServer, stopped: threading.Event, fatal: list[str]) -> None:
    """Once a second: a dead server ends serve at once; a disk filling up ends it gracefully, both in one line."""
    while not stopped.wait(WATCH_S):
        reason = why_stop(server)
        if reason is None:
            continue
        if stopped.is_set():  # serve is stopping the server itself
            return
        if server.process.poll() is not None:
            _die_with_server(reason)
        fatal.append(reason)
        os.kill(os.getpid(), signal.SIGTERM)  # the runner's own SIGTERM path: cancel runs, pause, then stop
        return


def _serve(settings: Settings, config_path: Path, owned: bool) -> None:
    from prefect import serve

    built = deployments(config_path, settings)
    if owned:  # on a server we did not start, a Running run may be alive on another machine
        release_dead_runs([d.name for d in built])
    serve(*built, **_runner_options())


def prepare_drop_folders(settings: Settings) -> None:
    """Every registered centre's drop folder exists from the start, so staff see where to put files."""
    from council.catalog import load_catalog
    from tasks.intake.inbox import drop_folder_problem

    for code in load_catalog().centres:
        if problem := drop_folder_problem(settings.inbox / code):
            say(f"{code}: {problem}")  # reported again by every sweep; the other centres are served


def sweep_once_served(stopped: threading.Event, wait_s: float = STARTUP_TIMEOUT_S) -> None:
    """Ask for one inbox sweep as soon as the deployment is served: files that arrived while serve was down
    are answered now, not at the first tick of the interval."""
    from prefect.deployments import run_deployment

    deadline = time.monotonic() + wait_s
    while not stopped.is_set() and time.monotonic() < deadline:
        try:
            run_deployment(f"{SWEEP}/{SWEEP}", timeout=0)
            return
        except Exception:  # not registered yet (serve is still creating its deployments), or the server restarting
            stopped.wait(2.0)


def serve_all(settings: Settings, config_path: Path, port: int = DEFAULT_PORT, watch: bool = False) -> int:
    """Serve until Ctrl-C or SIGTERM, then stop the local server it started; the exit code (1: see the line)."""
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop is a Ctrl-C
    server: LocalServer | None = None
    stop_watching: threading.Event | None = None
    stopped, fatal = threading.Event(), list[str]()
    try:
        if not os.environ.get("PREFECT_API_URL"):
            server = start_local_server(settings, port)
            threading.Thread(target=watch_server, args=(server, stopped, fatal), daemon=True).start()
        stop_watching = start_watcher(settings) if watch else None
        prepare_drop_folders(settings)
        threading.Thread(target=sweep_once_served, args=(stopped,), name="council-first-sweep", daemon=True).start()
        _serve(settings, config_path, owned=server is not None)
    except (KeyboardInterrupt, SystemExit):  # SystemExit: the runner's SIGTERM handler before it has started
        pass
    except ServeError as error:
        fatal.append(str(error))
    finally:
        # A second Ctrl-C or SIGTERM must not cut the server's stop short and leave it running (≤ 2 × 10 s).
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stopped.set()
        if stop_watching is not None:
            stop_watching.set()
        if server is not None:
            stop_local_server(server)
    for line in fatal[:1]:
        say(line)
    return 1 if fatal else 0
