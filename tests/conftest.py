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

# The tier of each test folder or top-level module (`make test-fast`: unit and integration, minus slow):
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
    "test_settings.py": "unit",
    "test_install.py": "system",  # the wheel into a fresh venv, the CLI from a temp folder
}
# Folders and modules of the unit and integration tiers that take seconds per test, left out of
# `make test-fast` (seconds summed from `pytest --durations=0` on this 2-core machine, 2026-11-29).
SLOW = (
    "intake/",  # every test sweeps real workbooks through the reader child (sweep_failures alone ~70 s)
    "cli/",  # the CLI in subprocesses (~27 s)
    "pack/test_pack_atomic.py",  # packs built, killed and raced in child processes (~216 s)
    "pack/test_pack_charts.py",  # headless Chromium (~8 s)
    "pack/test_pack_reproducible_and_draft.py",  # whole packs built twice, PDF included (~6 s)
    "pack/test_pack_correct_numbers.py",  # ~6 s
    "pack/test_pack_html_pdf.py",  # headless Chromium (~4 s)
    "validate/test_gx_screen.py",  # Great Expectations suites (~21 s and more)
    "feedback/test_feedback_annotate.py",  # annotated copies in child processes, bombs (~15 s)
    "samples/test_samples_files.py",  # every centre × three periods (~8 s)
    "template/test_template_codes.py",  # LibreOffice prints (~4 s)
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test with its tier by folder, `slow` as listed, `flow` when it runs under Prefect's harness."""
    tests = Path(__file__).parent
    for item in items:
        relative = item.path.relative_to(tests)
        folder = relative.parts[0]  # a folder, or a module at the top of tests/
        item.add_marker(TIERS.get(folder, "unit"))
        if relative.as_posix().startswith(SLOW) or TIERS.get(folder) == "system":
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
