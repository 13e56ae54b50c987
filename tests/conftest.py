"""Fixtures every test folder may use: the catalogue and one warm isolated reader for the session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from council.catalog import Catalog, load_catalog
from tasks.pipeline.submission import Reader
from tasks.read import IsolatedReader, ReadLimits
from tests.requires import unavailable
from tests.rule_coverage import install_recorder, unfired_rules, whole_run

# Every module that bound make_problem by name so far is rebound; later imports get the wrapper itself.
install_recorder()

# The tier of each test folder (`make test-fast` runs unit and integration, minus what is marked slow):
# unit: pure functions on tiny frames, in this process; integration: real workbooks, the isolated reader,
# DuckDB, the pack renderer; system: whole processes (serve, Prefect, LibreOffice, crashes, races).
TIERS = {
    "schemas": "unit",
    "aggregate": "unit",
    "validate": "unit",
    "samples": "unit",
    "read": "integration",
    "intake": "integration",
    "load": "integration",
    "feedback": "integration",
    "pack": "integration",
    "template": "integration",
    "cli": "integration",
    "flows": "system",
    "crash": "system",
    "concurrency": "system",
    "hostile": "system",
    "office": "system",
}
# Modules of the unit and integration folders that take seconds each (`pytest --durations` evidence).
SLOW: set[str] = set()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its tier by folder, `slow` by module, `flow` when it runs under Prefect's harness."""
    tests = Path(__file__).parent
    for item in items:
        relative = item.path.relative_to(tests)
        folder = relative.parts[0] if len(relative.parts) > 1 else ""
        item.add_marker(TIERS.get(folder, "unit"))
        if relative.as_posix() in SLOW or TIERS.get(folder) == "system":
            item.add_marker("slow")
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker("flow")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked `needs` whose tool is missing: skipped with the reason, or failed in CI (tests/requires.py)."""
    for mark in item.iter_markers("needs"):
        if not mark.kwargs["available"]:
            unavailable(mark.kwargs["reason"])


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def reader() -> Iterator[IsolatedReader]:
    with IsolatedReader() as warm:
        yield warm


@pytest.fixture(scope="session")
def read(reader: IsolatedReader) -> Reader:
    """What a sweep reads files with: the shared warm child, with the default limits."""
    return partial(reader.read, limits=ReadLimits())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A whole run must fire every rule of rules.yaml at least once (each has a test that fires it)."""
    if exitstatus != 0 or not whole_run(session.config) or session.testscollected == 0:
        return
    missing = unfired_rules()
    if missing:
        session.config.get_terminal_writer().line(f"rules no test fired: {', '.join(missing)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
