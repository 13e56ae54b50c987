"""Every prefect.yaml entrypoint imports, and `council serve` can build every deployment from the file."""

from __future__ import annotations

from pathlib import Path

import yaml
from prefect.flows import Flow, load_flow_from_entrypoint

from flows.serve import deployments

CONFIG = Path(__file__).resolve().parents[2] / "prefect.yaml"


def test_every_entrypoint_imports_as_a_flow() -> None:
    for spec in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["deployments"]:
        assert isinstance(load_flow_from_entrypoint(str(CONFIG.parent / spec["entrypoint"])), Flow), spec["name"]


def test_serve_builds_every_deployment_with_its_schedules_and_limits() -> None:
    built = {d.name: d for d in deployments(CONFIG)}
    assert set(built) == {
        "inbox-sweep",
        "council-pack",
        "council-packs-due",
        "template-generation",
        "validate-file",
        "pack-draft",
    }
    sweep = built["inbox-sweep"]
    assert sweep.concurrency_limit == 1 and sweep.concurrency_options.collision_strategy.value == "CANCEL_NEW"
    assert sweep.schedules[0].schedule.interval.total_seconds() == 300
    # The pack build is scheduled from the calendar: one daily check, no per-meeting copies to keep in step.
    assert built["council-pack"].schedules == [] and built["pack-draft"].schedules == []
    [daily] = built["council-packs-due"].schedules
    assert (daily.schedule.cron, daily.schedule.timezone) == ("0 6 * * *", "Asia/Almaty")
    assert built["council-packs-due"].concurrency_limit == 1


def test_served_deployments_carry_the_typed_parameters_and_the_pack_retries() -> None:
    """What `council serve` registers: the UI's parameter form and the run policy come with each deployment."""
    built = {d.name: d for d in deployments(CONFIG)}
    for name in ("council-pack", "pack-draft", "council-packs-due", "template-generation"):
        properties = built[name]._parameter_openapi_schema.properties
        assert properties["lang"]["enum"] == ["kk", "ru", "en"], name
        assert all(p.get("description") for p in properties.values()), name
    for name in ("council-pack", "pack-draft", "council-packs-due"):
        flow: Flow[..., object] = load_flow_from_entrypoint(str(CONFIG.parent / built[name].entrypoint))
        assert flow.retries and flow.retry_delay_seconds and flow.timeout_seconds, name
