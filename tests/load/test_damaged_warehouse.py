"""A damaged warehouse file is named as such, with the way back, whether DuckDB notices it on open or on read."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from council.catalog import Catalog
from tasks.storage.db import WarehouseUnreadable, connect, one_connection
from tasks.storage.warehouse import ensure_schema

DATA_START = 3 * 4096  # DuckDB's file header and its two database headers; blocks of data follow


def real_warehouse(path: Path, catalog: Catalog) -> bytes:
    """A warehouse made as the pipeline makes it; its bytes."""
    ensure_schema(path, catalog)
    return path.read_bytes()


def junk(data: bytes) -> bytes:
    return b"this is not a database\n" * (len(data) // 23)


def cut_in_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def cut_to_the_header(data: bytes) -> bytes:
    return data[:100]


def emptied(_: bytes) -> bytes:
    return b""


@pytest.mark.parametrize("damage", [junk, cut_in_half, cut_to_the_header, emptied])
def test_opening_a_damaged_file_names_it_and_the_way_back(
    damage: Callable[[bytes], bytes], tmp_path: Path, catalog: Catalog
) -> None:
    path = tmp_path / "council.duckdb"
    path.write_bytes(damage(real_warehouse(path, catalog)))
    for read_only in (False, True):
        with pytest.raises(WarehouseUnreadable) as refused, connect(path, read_only=read_only):
            pass
        assert refused.value.path == path
        message = str(refused.value)
        assert str(path) in message and "damaged" in message and "council rebuild" in message
        assert "\n" not in message


def test_a_corrupt_block_found_on_read_is_named_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "council.duckdb"
    with duckdb.connect(str(path)) as con:  # enough rows that the table's data has blocks of its own
        con.execute("CREATE TABLE t AS SELECT range AS i, range::VARCHAR AS s FROM range(200000)")
    data = bytearray(path.read_bytes())
    data[DATA_START + 64 : DATA_START + 64 + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    with pytest.raises(WarehouseUnreadable) as refused, connect(path) as con:
        con.execute("SELECT sum(i), max(s) FROM t").fetchall()
    assert refused.value.reason == "its blocks fail their checksums"


def test_inside_one_connection_the_damage_is_named_too(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "council.duckdb"
    path.write_bytes(cut_in_half(real_warehouse(path, catalog)))
    with pytest.raises(WarehouseUnreadable), one_connection(path):
        pass


def test_a_sound_warehouse_still_opens(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "council.duckdb"
    real_warehouse(path, catalog)
    with connect(path, read_only=True) as con:
        assert con.execute("SELECT 42").fetchall() == [(42,)]


def test_the_error_survives_the_trip_back_from_a_worker_process(tmp_path: Path) -> None:
    error = WarehouseUnreadable(tmp_path / "council.duckdb", "it is cut short")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
