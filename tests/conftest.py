"""Fixtures every test folder may use: one warm isolated reader for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tasks.read import IsolatedReader


@pytest.fixture(scope="session")
def reader() -> Iterator[IsolatedReader]:
    with IsolatedReader() as warm:
        yield warm
