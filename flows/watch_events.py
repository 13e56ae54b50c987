"""The Prefect side of `council serve --watch`: the event a settled file raises, and whether a sweep is already on.

The watcher itself (`tasks/intake/watch.py`) only knows files and times; these two are handed to it.
"""

from __future__ import annotations

import logging

from tasks.intake.watch import RESOURCE_PREFIX

EVENT = "council.inbox.file-settled"
SWEEP_DEPLOYMENT = "inbox-sweep"
log = logging.getLogger("prefect.council.watch")


def emit_settled(centre: str, names: list[str]) -> None:
    """The Prefect event the inbox-sweep deployment's trigger listens for."""
    from prefect.events import emit_event

    resource = {"prefect.resource.id": f"{RESOURCE_PREFIX}{centre}", "prefect.resource.name": centre}
    emit_event(event=EVENT, resource=resource, payload={"files": names})


def sweep_active() -> bool:
    """An inbox-sweep run is starting, running or due now: asking again would only be cancelled (CANCEL_NEW)."""
    from datetime import UTC, datetime, timedelta

    from prefect.client.orchestration import get_client
    from prefect.client.schemas import filters
    from prefect.client.schemas.objects import StateType

    busy = [StateType.PENDING, StateType.RUNNING, StateType.CANCELLING]
    due = datetime.now(UTC) + timedelta(seconds=1)
    deployment = filters.DeploymentFilter(name=filters.DeploymentFilterName(any_=[SWEEP_DEPLOYMENT]))
    running = filters.FlowRunFilter(state=filters.FlowRunFilterState(type=filters.FlowRunFilterStateType(any_=busy)))
    scheduled = filters.FlowRunFilter(
        state=filters.FlowRunFilterState(type=filters.FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        # Validated, as the constructor would: pydantic turns the datetime into Prefect's DateTime, which the
        # constructor's signature demands before validation.
        expected_start_time=filters.FlowRunFilterExpectedStartTime.model_validate({"before_": due}),
    )
    try:
        with get_client(sync_client=True) as client:
            return any(
                client.read_flow_runs(flow_run_filter=f, deployment_filter=deployment, limit=1)
                for f in (running, scheduled)
            )
    except Exception as error:  # the server restarting must not stop the watcher: ask anyway
        log.warning("could not read inbox-sweep runs (%s); asking for a sweep anyway", error)
        return False
