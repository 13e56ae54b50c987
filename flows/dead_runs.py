"""After a crash: runs of serve's deployments left Running or Pending with no process are marked Crashed.

Prefect 3.9.1 holds a deployment's concurrency slot as a lease kept in the server's memory
(`server.concurrency.lease_storage` defaults to the in-memory store), while the slot count lives in the
database. A server killed with a run in flight loses the lease and keeps the count, so the repossessor has
no expired lease to revoke and the slot is held for ever: every later CANCEL_NEW tick is cancelled. Moving
the run to a terminal state makes the server release the slot (ReleaseFlowConcurrencySlots, falling back to
the deployment's limit when the lease is gone); any count still above the live runs is then set back.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flows.local_server import say
from flows.processes import live_flow_run_ids

ACTIVE = ("PENDING", "RUNNING", "CANCELLING")
CRASH_MESSAGE = "Crashed: council serve or its local Prefect server stopped while this run was in flight"


def _of_deployments(names: list[str]) -> Any:
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    return DeploymentFilter(name=DeploymentFilterName(any_=names))


def _active_runs(client: Any, names: list[str]) -> list[Any]:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType

    in_flight = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType(s) for s in ACTIVE]))
    return client.read_flow_runs(
        flow_run_filter=FlowRunFilter(state=in_flight), deployment_filter=_of_deployments(names)
    )


def _mark_crashed(client: Any, runs: Iterable[Any]) -> None:
    from prefect.states import Crashed

    for run in runs:
        # force: a dead run cannot be asked; the server's minimal policy still releases the slot.
        client.set_flow_run_state(run.id, state=Crashed(message=CRASH_MESSAGE), force=True)
        say(f"flow run {run.name} ({run.id}) was {run.state_type.value} with no process left: marked Crashed")


def _reset_slots(client: Any, names: list[str], runs_left: list[Any]) -> None:
    """A deployment limit's slot count back to the runs that are really in flight."""
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    for deployment in client.read_deployments(deployment_filter=_of_deployments(names)):
        limit = deployment.global_concurrency_limit
        in_flight = sum(run.deployment_id == deployment.id for run in runs_left)
        if limit is not None and limit.active_slots > in_flight:
            client.update_global_concurrency_limit(limit.name, GlobalConcurrencyLimitUpdate(active_slots=in_flight))
            say(f"deployment {deployment.name}: freed {limit.active_slots - in_flight} leaked concurrency slot(s)")


def release_dead_runs(deployment_names: list[str]) -> None:
    """Only for a server this serve started: on someone else's server a run may live on another machine."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        active = _active_runs(client, deployment_names)
        alive = live_flow_run_ids()
        _mark_crashed(client, [run for run in active if str(run.id) not in alive])
        _reset_slots(client, deployment_names, [run for run in active if str(run.id) in alive])
