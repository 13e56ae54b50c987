"""The one time written inside a pack's files, taken from its inputs (like SOURCE_DATE_EPOCH).

The build time changes on every build, so it lives in manifest.json only; pack.xlsx, pack.html
and pack.pdf carry the time of the latest report received, so the same data gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.inputs import PackInputs


def data_as_of(inputs: PackInputs, catalog: Catalog) -> datetime:
    """When the latest submission of the period arrived (UTC); with none, the end of the period."""
    received = pd.to_datetime(inputs.submissions["received_at"], utc=True, errors="coerce").dropna()
    if not received.empty:
        return received.max().to_pydatetime().replace(microsecond=0)
    period = catalog.periods.get(inputs.period)
    if period is None:  # a period the calendar does not know: its inputs still fix the time
        return datetime(1980, 1, 1, tzinfo=UTC)
    return datetime.combine(period.end, time(), tzinfo=UTC)
