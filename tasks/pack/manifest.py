"""manifest.json: which submissions a pack was built from, what it wrote (with hashes) and its headline."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.completeness import completeness_counts
from tasks.aggregate.inputs import ACCEPTED_STATUSES, PackInputs
from tasks.aggregate.tables import PackTables
from tasks.pack.stamp import data_as_of

INPUT_FIELDS = ["centre", "submission_id", "version", "sha256", "status"]
CHUNK = 1 << 20


def file_entry(path: Path) -> dict[str, Any]:
    """SHA-256 and size of a written file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "size": path.stat().st_size}


def plain(value: Any) -> Any:
    """A JSON-ready copy: numpy scalars to Python, NaN/NA to null, datetimes to ISO 8601."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _inputs(inputs: PackInputs, catalog: Catalog) -> list[dict[str, Any]]:
    """The current period's submissions whose data the pack shows, in registry order."""
    rank = {code: position for position, code in enumerate(catalog.centres)}
    used = inputs.submissions.loc[inputs.submissions["status"].isin(ACCEPTED_STATUSES)]
    used = used.assign(_rank=used["centre"].map(rank)).sort_values(["_rank", "centre"], kind="mergesort")
    return [plain(record) for record in used[INPUT_FIELDS].to_dict("records")]


def _comparison_inputs(inputs: PackInputs) -> list[dict[str, Any]]:
    """Submissions the comparison periods' KPIs come from (their hashes are in the ledger)."""
    earlier = inputs.kpi.loc[inputs.kpi["period"].isin([inputs.previous_period, inputs.year_ago_period])]
    keys = earlier[["period", "centre", "submission_id"]].drop_duplicates()
    return [plain(r) for r in keys.sort_values(["period", "centre", "submission_id"]).to_dict("records")]


def _headline(tables: PackTables) -> dict[str, dict[str, Any]]:
    by_area = tables.headline.set_index("priority_area")
    return {str(area): plain(figures) for area, figures in by_area.to_dict("index").items()}


def build_manifest(
    inputs: PackInputs,
    catalog: Catalog,
    tables: PackTables,
    lang: str,
    code_version: str,
    outputs: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Everything needed to trace a pack back to its submissions and to check its files."""
    return {
        "meeting": inputs.meeting_id,
        "period": inputs.period,
        "previous_period": inputs.previous_period,
        "year_ago_period": inputs.year_ago_period,
        "built_at": inputs.built_at.isoformat(),  # the only place the build time is written
        "data_as_of": data_as_of(inputs, catalog).isoformat(),
        "code_version": code_version,
        "language": lang,
        "template_version": catalog.template_version,
        "inputs": _inputs(inputs, catalog),
        "comparison_inputs": _comparison_inputs(inputs),
        "outputs": outputs,
        "headline": _headline(tables),
        "completeness": completeness_counts(tables.completeness),
    }


def changes_since(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """What a rebuild changed: submissions added, superseded (same centre, another one) or dropped."""
    before = {str(i["centre"]): i for i in previous.get("inputs", []) if isinstance(i, dict)}
    after = {str(i["centre"]): i for i in current.get("inputs", []) if isinstance(i, dict)}
    superseded = [
        {"centre": c, "was": before[c]["submission_id"], "now": after[c]["submission_id"]}
        for c in after
        if c in before and before[c]["submission_id"] != after[c]["submission_id"]
    ]
    return {
        "previous_built_at": previous.get("built_at"),
        "previous_code_version": previous.get("code_version"),
        "added": [after[c] for c in after if c not in before],
        "superseded": superseded,
        "removed": [before[c] for c in before if c not in after],
        "headline_changed": previous.get("headline") != current.get("headline"),
    }


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    """Write the manifest with sorted keys, so the same pack gives the same bytes."""
    text = json.dumps(plain(manifest), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")
