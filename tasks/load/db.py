"""Short-lived DuckDB connections: DuckDB lets one process write a file at a time, so hold it briefly."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

LOCK_WAIT_S = 0.005  # another sweep's short connections come and go within tens of milliseconds
LOCK_ATTEMPTS = 6000  # ~30 s: a sweep's load or a pack's read finishes well within that
_SHARED = threading.local()  # path → the connection `one_connection` holds open in this thread


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting while another process holds DuckDB's file lock.

    Inside `one_connection(path)` the connection it holds is handed out instead (and not closed here).
    """
    shared = getattr(_SHARED, "connections", {}).get(path)
    if shared is not None:
        yield shared
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(LOCK_ATTEMPTS):
        try:
            con = duckdb.connect(str(path), read_only=read_only and path.exists())
            break
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or attempt == LOCK_ATTEMPTS - 1:
                raise
            time.sleep(LOCK_WAIT_S)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def one_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Every `connect(path)` in this block, in this thread, shares one connection.

    Opening a DuckDB connection costs ~25 ms whatever the work, and holds the file lock other
    processes wait for; steps that follow each other (a decision and its load) share one.
    """
    with connect(path) as con:
        connections = _SHARED.__dict__.setdefault("connections", {})
        connections[path] = con
        try:
            yield con
        finally:
            del connections[path]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a crash or an error leaves no half-loaded submission."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple | None:
    """The first row or None, with the result fully consumed (DuckDB refuses new work on a half-read result)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
