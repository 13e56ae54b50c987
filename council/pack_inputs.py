"""What a pack is built from: the contract between the warehouse, which reads it, and the stages that use it.

A value type of the ground layer (like Problem), so storage and the aggregate and pack stages share it
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Columns the warehouse query adds in front of every data sheet's own field codes.
KEY_COLUMNS = ("centre", "submission_id")

# The submissions frame is the warehouse's contract with the pack, not a schema sheet.
SUBMISSION_COLUMNS = (
    "centre",
    "submission_id",
    "sha256",
    "file_name",
    "version",
    "status",
    "received_at",
    "on_time",
    "template_version",
    "errors",
    "warnings",
    "estimated_values",
    "is_correction",
)

ACCEPTED_STATUSES = ("accepted", "accepted_with_warnings")
SUBMISSION_STATUSES = (*ACCEPTED_STATUSES, "rejected", "held", "missing")
ALL_AREAS = "ALL"


@dataclass(frozen=True)
class PackInputs:
    """Everything a pack is built from, read from the warehouse in one go."""

    meeting_id: str
    period: str
    previous_period: str
    year_ago_period: str
    built_at: datetime
    submissions: pd.DataFrame
    kpi: pd.DataFrame
    projects: pd.DataFrame
    budget: pd.DataFrame
    pilots: pd.DataFrame
    narrative: pd.DataFrame

    @property
    def periods(self) -> tuple[str, str, str]:
        """The reviewed period and its two comparison periods, in that order."""
        return (self.period, self.previous_period, self.year_ago_period)
