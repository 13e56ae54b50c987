"""prefect.yaml's pull steps name no machine's absolute path and no environment template (Prefect fills those in
at deploy time); run by Prefect's own step runner they start a run in the folder the code is installed in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.deployments.steps.core import run_steps

from flows.pull_steps import INSTALLED_HOME

CONFIG = Path(__file__).resolve().parents[2] / "prefect.yaml"


def pull_steps() -> list[dict[str, Any]]:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return list(config.get("pull") or []) + [s for d in config["deployments"] for s in d.get("pull") or []]


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


@pytest.fixture
def keep_cwd() -> Iterator[None]:
    before = os.getcwd()
    yield
    os.chdir(before)


def test_every_deployment_has_a_pull_step_and_none_names_an_absolute_path() -> None:
    steps = pull_steps()
    assert steps, "without pull steps `prefect deploy` bakes the deploying machine's path into each deployment"
    assert [s for s in strings(steps) if Path(s).expanduser().is_absolute() or s.startswith(("~", "/", "\\"))] == []
    assert [s for s in strings(steps) if "{{" in s] == []


def test_a_run_starts_where_the_worker_has_the_code_installed(keep_cwd: None, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    outputs = asyncio_run(run_steps(pull_steps()))
    assert Path(os.getcwd()) == INSTALLED_HOME and (INSTALLED_HOME / "flows" / "pack.py").is_file()
    assert outputs["directory"] == str(INSTALLED_HOME)


def asyncio_run(coro: Any) -> Any:
    import asyncio

    return asyncio.run(coro)
