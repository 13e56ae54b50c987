"""Warehouse tables: the ledger's and, generated from the sheet schemas, one per data sheet."""

from __future__ import annotations

from council.catalog import Catalog, Field

SQL_TYPES = {"string": "VARCHAR", "number": "DOUBLE", "integer": "INTEGER", "date": "DATE"}

LEDGER_DDL = """
CREATE SEQUENCE IF NOT EXISTS ledger_seq;
CREATE TABLE IF NOT EXISTS ledger (
    event_id BIGINT PRIMARY KEY DEFAULT nextval('ledger_seq'),
    event_at TIMESTAMPTZ NOT NULL,
    event VARCHAR NOT NULL,
    centre VARCHAR,
    period VARCHAR,
    file_name VARCHAR,
    sha256 VARCHAR,
    size_bytes BIGINT,
    submission_id VARCHAR,
    detail VARCHAR
);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id VARCHAR PRIMARY KEY,
    centre VARCHAR NOT NULL,
    period VARCHAR,
    sha256 VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    archive_path VARCHAR NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    status VARCHAR NOT NULL,
    is_current BOOLEAN NOT NULL DEFAULT false,
    superseded_by VARCHAR,
    on_time BOOLEAN,
    template_version VARCHAR,
    language VARCHAR,
    is_correction BOOLEAN,
    errors INTEGER,
    warnings INTEGER,
    estimated_values INTEGER,
    processed_at TIMESTAMPTZ,
    claimed_by VARCHAR,
    claimed_at TIMESTAMPTZ,
    answered_at TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    last_error VARCHAR,
    quarantined_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS problems (
    submission_id VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    sheet VARCHAR,
    cell VARCHAR,
    value VARCHAR,
    message VARCHAR
);
CREATE TABLE IF NOT EXISTS period_locks (
    period VARCHAR NOT NULL,
    locked_at TIMESTAMPTZ NOT NULL,
    pack_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS unlocks (
    centre VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    unlocked_at TIMESTAMPTZ NOT NULL
);
"""


# Columns added after the first release: (name, type, SQL that back-fills rows older than the column).
SUBMISSION_UPGRADES = (
    ("claimed_by", "VARCHAR", None),
    ("claimed_at", "TIMESTAMPTZ", None),
    # Older warehouses answered every decided submission in the same run that decided it.
    ("answered_at", "TIMESTAMPTZ", "UPDATE submissions SET answered_at = processed_at WHERE status <> 'received'"),
    # Handling that failed: how often, when to try again, the last error, and when it was given up on.
    ("attempts", "INTEGER DEFAULT 0", None),
    ("next_attempt_at", "TIMESTAMPTZ", None),
    ("last_error", "VARCHAR", None),
    ("quarantined_at", "TIMESTAMPTZ", None),
)


def column_type(f: Field) -> str:
    """KZT amounts keep exactly two decimals; other numbers are doubles."""
    return "DECIMAL(18,2)" if f.format == "money" else SQL_TYPES[f.type]


def sheet_ddl(catalog: Catalog) -> str:
    """CREATE TABLE for every data sheet, columns in schema order after the lineage columns."""
    statements = []
    for name, schema in catalog.sheets.items():
        columns = ",\n    ".join(f"{f.name} {column_type(f)}" for f in schema.input_fields)
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {name} (\n    submission_id VARCHAR NOT NULL,\n    centre VARCHAR NOT NULL,\n"
            f"    period VARCHAR NOT NULL,\n    excel_row INTEGER NOT NULL,\n    {columns}\n);"
        )
    return "\n".join(statements)
