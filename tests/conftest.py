"""Fixtures every test folder may use: the catalogue and one warm isolated reader for the session."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest

from council.catalog import Catalog, load_catalog
from tasks.read import IsolatedReader, ReadLimits
from tasks.submission import Reader


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
