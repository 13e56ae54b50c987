"""The warehouse: loading an accepted submission in one transaction, and the reads that feed packs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from council.catalog import Catalog
from council.pack_inputs import PackInputs
from council.problems import Problem
from tasks.storage.db import connect, first_row, transaction
from tasks.storage.ddl import LEDGER_DDL, SUBMISSION_UPGRADES, sheet_ddl

_ensured: set[tuple[Path, Path]] = set()


def ensure_schema(path: Path, catalog: Catalog) -> None:
    """Create the ledger and data tables if missing (once per process and warehouse file)."""
    if (path, catalog.root) in _ensured and path.exists():
        return
    with connect(path) as con, transaction(con):
        con.execute(LEDGER_DDL)
        con.execute(sheet_ddl(catalog))
        _upgrade_submissions(con)
    _ensured.add((path, catalog.root))


def _upgrade_submissions(con: duckdb.DuckDBPyConnection) -> None:
    """Add columns a warehouse made by an older release lacks, back-filling them once."""
    have = {
        row[0]
        for row in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'submissions'").fetchall()
    }
    for name, sql_type, backfill in SUBMISSION_UPGRADES:
        if name not in have:
            con.execute(f"ALTER TABLE submissions ADD COLUMN IF NOT EXISTS {name} {sql_type}")
            if backfill:
                con.execute(backfill)


@dataclass(frozen=True)
class Acceptance:
    """What the ledger needs to know about an accepted submission besides its rows."""

    submission_id: str
    centre: str
    period: str
    status: str
    on_time: bool
    template_version: str
    language: str
    is_correction: bool
    estimated_values: int
    processed_at: datetime


def _lineage(frame: pd.DataFrame, acceptance: Acceptance) -> pd.DataFrame:
    return frame.assign(submission_id=acceptance.submission_id, centre=acceptance.centre, period=acceptance.period)


def insert_problems(con: duckdb.DuckDBPyConnection, submission_id: str, problems: list[Problem]) -> None:
    if not problems:
        return
    rows = pd.DataFrame(
        [(submission_id, p.rule, p.severity, p.sheet, p.cell, p.value, p.message) for p in problems],
        columns=["submission_id", "rule", "severity", "sheet", "cell", "value", "message"],
    )
    _insert_frame(con, "problems", rows)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Bulk insert by column name (one vectorised scan of the frame, no row-by-row inserts)."""
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    finally:
        con.unregister("incoming")


def load_submission(
    path: Path, catalog: Catalog, acceptance: Acceptance, frames: dict[str, pd.DataFrame], problems: list[Problem]
) -> str | None:
    """Load rows, supersede the centre's previous accepted submission; all in one transaction.

    Returns the superseded submission id, if any. Loading the same submission twice is a no-op.
    """
    with connect(path) as con, transaction(con):
        already = first_row(
            con,
            "SELECT is_current OR superseded_by IS NOT NULL FROM submissions WHERE submission_id = ?",
            [acceptance.submission_id],
        )
        if already and already[0]:
            return None
        for name, frame in frames.items():
            if not frame.empty:
                _insert_frame(con, name, _lineage(frame, acceptance))
        previous = _supersede(con, acceptance)
        _mark_accepted(con, acceptance, problems)
        insert_problems(con, acceptance.submission_id, problems)
        con.execute(
            "INSERT INTO ledger (event_at, event, centre, period, submission_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            [
                acceptance.processed_at,
                acceptance.status,
                acceptance.centre,
                acceptance.period,
                acceptance.submission_id,
                f"supersedes {previous}" if previous else None,
            ],
        )
        from tasks.storage.journal import journal_accepted

        journal_accepted(path, acceptance, previous)  # write-ahead, like every other ledger event
        return previous


def _supersede(con: duckdb.DuckDBPyConnection, acceptance: Acceptance) -> str | None:
    row = first_row(
        con,
        "SELECT submission_id FROM submissions WHERE centre = ? AND period = ? AND is_current AND submission_id <> ?",
        [acceptance.centre, acceptance.period, acceptance.submission_id],
    )
    if row:
        con.execute(
            "UPDATE submissions SET is_current = false, superseded_by = ? WHERE submission_id = ?",
            [acceptance.submission_id, row[0]],
        )
    return row[0] if row else None


def _mark_accepted(con: duckdb.DuckDBPyConnection, a: Acceptance, problems: list[Problem]) -> None:
    con.execute(
        """UPDATE submissions SET status = ?, is_current = true, period = ?, on_time = ?, template_version = ?,
           language = ?, is_correction = ?, errors = ?, warnings = ?, estimated_values = ?, processed_at = ?
           WHERE submission_id = ?""",
        [
            a.status,
            a.period,
            a.on_time,
            a.template_version,
            a.language,
            a.is_correction,
            sum(p.severity == "error" for p in problems),
            sum(p.severity == "warning" for p in problems),
            a.estimated_values,
            a.processed_at,
            a.submission_id,
        ],
    )


SUBMISSIONS_SQL = """
WITH ranked AS (
    SELECT *, count(*) OVER (PARTITION BY centre) AS version,
           row_number() OVER (PARTITION BY centre ORDER BY is_current DESC, received_at DESC) AS pick
    FROM submissions WHERE period = ?
)
SELECT centre, submission_id, sha256, file_name, version, status, received_at, on_time, template_version,
       coalesce(errors, 0) AS errors, coalesce(warnings, 0) AS warnings,
       coalesce(estimated_values, 0) AS estimated_values, coalesce(is_correction, false) AS is_correction
FROM ranked WHERE pick = 1
"""


def _submissions(con: duckdb.DuckDBPyConnection, catalog: Catalog, period: str) -> pd.DataFrame:
    """One row per registered centre: the submission in force, else the latest, else 'missing'."""
    found = con.execute(SUBMISSIONS_SQL, [period]).df()
    registry = pd.DataFrame({"centre": list(catalog.centres)})
    frame = registry.merge(found, on="centre", how="left")
    return frame.assign(status=frame["status"].fillna("missing"), version=frame["version"].fillna(0).astype(int))


def _current_rows(con: duckdb.DuckDBPyConnection, catalog: Catalog, sheet: str, periods: list[str]) -> pd.DataFrame:
    """Rows of the submissions in force for `periods`, money as float, in a stable order."""
    fields = ", ".join(
        f"CAST(t.{f.name} AS DOUBLE) AS {f.name}" if f.format == "money" else f"t.{f.name}"
        for f in catalog.sheets[sheet].input_fields
    )
    marks = ", ".join("?" * len(periods))
    query = f"""SELECT t.period, t.centre, t.submission_id, {fields}
                FROM {sheet} t JOIN submissions s USING (submission_id)
                WHERE s.is_current AND t.period IN ({marks}) ORDER BY t.period, t.centre, t.excel_row"""
    return con.execute(query, periods).df()


def read_pack_inputs(path: Path, catalog: Catalog, meeting_id: str, period: str, built_at: datetime) -> PackInputs:
    """Everything a pack needs, read in one connection so it is one consistent state."""
    with connect(path, read_only=True) as con:
        return pack_inputs_in(con, catalog, meeting_id, period, built_at)


def pack_inputs_in(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, meeting_id: str, period: str, built_at: datetime
) -> PackInputs:
    """The same read on a connection the caller holds: an official build re-reads inside its lock transaction."""
    previous, year_ago = str(catalog.previous_period(period)), str(catalog.previous_period(period, 2))
    current = {
        name: _current_rows(con, catalog, name, [period]).drop(columns="period")
        for name in ("projects", "budget", "pilots", "narrative")
    }
    return PackInputs(
        meeting_id=meeting_id,
        period=period,
        previous_period=previous,
        year_ago_period=year_ago,
        built_at=built_at,
        submissions=_submissions(con, catalog, period),
        kpi=_current_rows(con, catalog, "kpi", [period, previous, year_ago]),
        **current,
    )


def accepted_sheets(path: Path, catalog: Catalog, centre: str, period: str) -> dict[str, pd.DataFrame]:
    """The centre's submission in force for `period`, sheet by sheet (empty when there is none)."""
    if not path.exists():
        return {}
    with connect(path, read_only=True) as con:
        frames = {name: _current_rows(con, catalog, name, [period]) for name in ("kpi", "projects")}
    return {name: frame[frame["centre"] == centre].reset_index(drop=True) for name, frame in frames.items()}
