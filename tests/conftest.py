"""Fixtures every test folder may use: the catalogue and one warm isolated reader for the session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest

from council.catalog import Catalog, load_catalog
from tasks.pipeline.submission import Reader
from tasks.read import IsolatedReader, ReadLimits
from tests.rule_coverage import install_recorder, unfired_rules, whole_run

# Every module that bound make_problem by name so far is rebound; later imports get the wrapper itself.
install_recorder()


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
