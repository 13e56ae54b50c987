"""What the Prefect UI shows for each flow's parameters: choices for a language, a format for a period, a
description for every parameter, read from Prefect's own parameter schema (no server needed)."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from prefect.flows import Flow

from council.catalog import LANGUAGES
from flows.ingest import inbox_sweep
from flows.pack import PACK_TIMEOUT_S, council_pack, packs_due
from flows.parameters import Lang
from flows.template import generate_templates
from flows.validate import validate_one
from tasks.pipeline.build_pack import PACK_LOCK_WAIT_S

FLOWS: list[Flow[Any, Any]] = [inbox_sweep, council_pack, packs_due, generate_templates, validate_one]


def schema(flow: Flow[Any, Any]) -> dict[str, Any]:
    return flow.parameters.model_dump()["properties"]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_parameter_has_a_description(flow: Flow[Any, Any]) -> None:
    assert {name: p.get("description") for name, p in schema(flow).items() if not p.get("description")} == {}


def test_a_language_is_a_choice_of_the_catalogue_languages() -> None:
    assert get_args(Lang) == LANGUAGES
    for flow in (council_pack, packs_due, generate_templates):
        assert schema(flow)["lang"]["enum"] == list(LANGUAGES), flow.name


def test_a_period_has_its_form_in_the_schema_and_a_malformed_one_is_refused() -> None:
    [period] = [s for s in schema(council_pack)["period"]["anyOf"] if s["type"] == "string"]
    assert period["pattern"] == r"^\d{4}[Ss][12]$"
    assert schema(generate_templates)["period"]["pattern"] == period["pattern"]
    council_pack.validate_parameters({"period": "2026s1"})
    with pytest.raises(Exception, match="period"):
        council_pack.validate_parameters({"period": "2026-H1"})
    with pytest.raises(Exception, match="lang"):
        council_pack.validate_parameters({"period": "2026S1", "lang": "de"})


def test_the_pack_flows_retry_after_a_delay_and_time_out_after_a_lock_wait_and_a_build() -> None:
    for flow in (council_pack, packs_due):
        assert flow.retries and flow.retries >= 1 and flow.retry_delay_seconds, flow.name
    assert council_pack.timeout_seconds == PACK_TIMEOUT_S > PACK_LOCK_WAIT_S + 60


def test_the_sweep_does_not_retry_but_cannot_hang_for_ever() -> None:
    assert not inbox_sweep.retries and inbox_sweep.timeout_seconds
