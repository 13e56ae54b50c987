"""Expected versus received per registered centre: the pack's honest annex on what arrived."""

from __future__ import annotations

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.inputs import SUBMISSION_COLUMNS, SUBMISSION_STATUSES, PackInputs

MISSING = "missing"
COUNT_COLUMNS = ["errors", "warnings", "estimated_values"]


def completeness(inputs: PackInputs, catalog: Catalog) -> pd.DataFrame:
    """One row per registered centre in registry order; a centre without a submission is "missing"."""
    registered = pd.DataFrame({"centre": list(catalog.centres)})
    received = inputs.submissions.reindex(columns=list(SUBMISSION_COLUMNS))
    table = registered.merge(received, on="centre", how="left", validate="one_to_one")
    return table.assign(
        status=table["status"].fillna(MISSING),
        on_time=table["on_time"].astype("boolean"),
        version=pd.to_numeric(table["version"], errors="coerce").fillna(0).astype("int64"),
        is_correction=table["is_correction"].astype("boolean"),
        **{c: pd.to_numeric(table[c], errors="coerce").astype("Int64") for c in [*COUNT_COLUMNS, "template_version"]},
    )


def completeness_counts(table: pd.DataFrame) -> dict[str, int]:
    """Expected, submitted, on time, late, corrections and one count per status, for the summary line."""
    received = table["status"].ne(MISSING)
    counts = {status: int(table["status"].eq(status).sum()) for status in SUBMISSION_STATUSES}
    return {
        **counts,
        "expected": len(table),
        "submitted": int(received.sum()),
        "on_time": int((received & table["on_time"].eq(True).fillna(False)).sum()),
        "late": int((received & table["on_time"].eq(False).fillna(False)).sum()),
        "corrections": int(table["is_correction"].eq(True).fillna(False).sum()),
    }


def completeness_summary(table: pd.DataFrame, catalog: Catalog, lang: str) -> str:
    """One line such as "7 of 8 centres submitted; 6 on time; 1 rejected; 1 missing"."""
    return catalog.text("pack.completeness_summary", lang, **completeness_counts(table))
