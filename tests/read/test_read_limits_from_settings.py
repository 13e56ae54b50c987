"""The reader's limits come from the environment, so an operator can tighten or loosen them."""

from __future__ import annotations

import pytest

from council.settings import Settings
from tasks.pipeline.sweep import read_limits


def test_every_read_limit_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "COUNCIL_MAX_FILE_MB": "2",
        "COUNCIL_MAX_UNPACKED_MB": "20",
        "COUNCIL_MAX_ROWS": "5000",
        "COUNCIL_MAX_COLUMNS": "40",
        "COUNCIL_READ_TIMEOUT_S": "7",
        "COUNCIL_READ_MEMORY_MB": "512",
    }.items():
        monkeypatch.setenv(name, value)
    limits = read_limits(Settings.from_env())
    assert (limits.max_bytes, limits.max_uncompressed_bytes) == (2 * 2**20, 20 * 2**20)
    assert (limits.max_rows, limits.max_columns, limits.timeout_s, limits.memory_mb) == (5000, 40, 7.0, 512)
