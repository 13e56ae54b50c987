"""Red / amber / green ratings of KPIs against target, by thresholds kept in schemas/pack.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from council.catalog import schemas_dir
from council.schema_shapes import checked

PACK_CONFIG = "pack.yaml"
RED, AMBER, GREEN = "RED", "AMBER", "GREEN"


@dataclass(frozen=True)
class RagThresholds:
    """Shares of target at or above which a KPI is green or amber (else red)."""

    green: float
    amber: float
    lower_is_better: frozenset[str]


def pack_config(root: Path | None = None) -> dict[str, Any]:
    """schemas/pack.yaml (RAG thresholds, colours, trend KPI, annex sizes), checked against its shape."""
    return _pack_config(root or schemas_dir())


@cache
def _pack_config(root: Path) -> dict[str, Any]:
    path = root / PACK_CONFIG
    return checked(yaml.safe_load(path.read_text(encoding="utf-8")), path)


def rag_thresholds(root: Path | None = None) -> RagThresholds:
    raw = pack_config(root)["rag"]
    return RagThresholds(float(raw["green"]), float(raw["amber"]), frozenset(raw.get("lower_is_better") or ()))


def rate(kpis: pd.DataFrame, thresholds: RagThresholds) -> pd.Series:
    """One rating per KPI row from value and target; NA where there is no target or no value."""
    value = pd.to_numeric(kpis["value"], errors="coerce").astype("float64")
    target = pd.to_numeric(kpis["target"], errors="coerce").astype("float64")
    inverted = kpis["indicator_code"].isin(thresholds.lower_is_better)
    # A target of 0 is met by any value for "less is better" only when the value is 0 too.
    share = (value / target.where(target.ne(0))).where(~inverted, target / value.where(value.ne(0)))
    rating = pd.Series(pd.NA, index=kpis.index, dtype="string")
    rating = rating.mask(share.notna(), RED).mask(share.ge(thresholds.amber), AMBER)
    return rating.mask(share.ge(thresholds.green), GREEN)


def with_rating(kpis: pd.DataFrame, thresholds: RagThresholds) -> pd.DataFrame:
    """The KPI table with a `rag` column (a copy; the given frame is untouched)."""
    return kpis.assign(rag=rate(kpis, thresholds))
