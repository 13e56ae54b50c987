"""The one writer of verdicts: rejected, held or accepted, each with its problems and ledger event at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from council.catalog import Catalog
from council.problems import Problem
from tasks.storage import ledger
from tasks.storage.warehouse import Acceptance, load_submission

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Verdict:
    """What was decided about one submission; an accepted one carries its rows and what the ledger keeps of it."""

    status: str
    period: str | None
    on_time: bool | None
    problems: list[Problem]
    at: datetime
    meta: dict[str, object] = field(default_factory=dict)
    acceptance: Acceptance | None = None
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)


def record_verdict(path: Path, catalog: Catalog, received: ledger.Received, verdict: Verdict) -> str | None:
    """Commit the verdict; for an accepted one also its rows and the supersede. Returns the superseded id."""
    if verdict.acceptance is None:
        ledger.record_outcome(
            path,
            received,
            status=verdict.status,
            period=verdict.period,
            on_time=verdict.on_time,
            problems=verdict.problems,
            at=verdict.at,
            meta=verdict.meta,
        )
        return None
    return load_submission(path, catalog, verdict.acceptance, verdict.frames, verdict.problems)
