from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole session, requested only by flow tests (it takes ~10 s)."""
    from prefect.testing.utilities import prefect_test_harness

    # Generous: on a loaded 2-core machine the temporary server has been seen to need over a minute.
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Flows read their settings from the environment, as a deployment run would."""
    root = tmp_path / "data"
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(root))
    monkeypatch.setenv("COUNCIL_SETTLE_SECONDS", "0")
    monkeypatch.setenv("COUNCIL_NOW", "2026-07-28T09:00:00+00:00")
    return root
