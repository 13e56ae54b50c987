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


# What DuckDB says of a file that is not a whole database (its messages carry no error codes).
DAMAGE = {
    "not a valid duckdb database file": "it is not a DuckDB database",
    "could not read enough bytes": "it is cut short",
    "corrupt database file": "its blocks fail their checksums",
}


class WarehouseUnreadable(Exception):
    """The warehouse file is damaged (junk, truncated, corrupt): nothing can be read or loaded until it is replaced."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(path, reason)  # both in args: the error crosses from worker processes by pickling
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        aside = self.path.with_name(self.path.name + ".damaged")
        return (
            f"the warehouse {self.path} is damaged ({self.reason}); move it aside (mv {self.path} {aside}) "
            "and run `council rebuild` to recreate the ledger and the warehouse from the archive and the journal"
        )


def damage(error: duckdb.Error) -> str | None:
    """What is wrong with the file, if `error` says the file itself is damaged (not locked, not a bad query)."""
    text = str(error).lower()
    return next((reason for phrase, reason in DAMAGE.items() if phrase in text), None)


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """A connection, waiting while another process holds DuckDB's file lock; a damaged file is named as such."""
    for attempt in range(LOCK_ATTEMPTS):
        creating = not path.exists()
        try:
            return duckdb.connect(str(path), read_only=read_only and path.exists())
        except duckdb.Error as error:
            if creating:  # a full disk leaves a stub that would later read as a damaged warehouse: not ours to keep
                _remove_stub(path)
            if reason := damage(error):
                raise WarehouseUnreadable(path, reason) from error
            locked = isinstance(error, duckdb.IOException) and "lock" in str(error).lower()
            if not locked or attempt == LOCK_ATTEMPTS - 1:
                raise
            time.sleep(LOCK_WAIT_S)
    raise AssertionError("unreachable: the last attempt raises")


def _remove_stub(path: Path) -> None:
    for stub in (path, path.with_name(path.name + ".wal")):
        stub.unlink(missing_ok=True)


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting while another process holds DuckDB's file lock.

    Inside `one_connection(path)` the connection it holds is handed out instead (and not closed here).
    A damaged file raises WarehouseUnreadable, when opened or (a corrupt block) when first read.
    """
    shared = getattr(_SHARED, "connections", {}).get(path)
    if shared is not None:
        yield shared
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _open(path, read_only)
    try:
        yield con
    except duckdb.Error as error:
        if reason := damage(error):
            raise WarehouseUnreadable(path, reason) from error
        raise
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
