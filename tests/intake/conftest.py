from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from council.catalog import load_catalog
from council.settings import Settings
from tasks.pipeline.submission import Outcome, Reader
from tasks.pipeline.sweep import sweep

SWEPT_AT = "2026-07-20T09:00:00+00:00"  # before 2026S1's due date


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", settle_seconds=0, now_override=SWEPT_AT)


@pytest.fixture
def run_sweep(settings: Settings, read: Reader) -> Callable[..., list[Outcome]]:
    def run(at: str | None = None) -> list[Outcome]:
        current = settings if at is None else Settings(settings.data_dir, 0, now_override=at)
        return sweep(current, load_catalog(), read)

    return run


def drop(settings: Settings, centre: str, source: Path, name: str | None = None) -> Path:
    """Put a file into a centre's drop folder as a user's copy would."""
    target = settings.inbox / centre / (name or source.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return target
