"""Item 2: the naive baseline (pandas.read_excel default engine, then row-by-row inserts) on the sweep corpus."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import run_worker, temp_folder, worker_main


def naive_ingest(path: Path, con: Any, catalog: Any) -> int:
    """What a first script would do: read every data sheet with pandas' defaults, insert one row at a time."""
    import pandas as pd

    sheets = pd.read_excel(path, sheet_name=list(catalog.sheets), header=catalog.layout["code_row"] - 1)
    inserted = 0
    for name, frame in sheets.items():
        frame = frame.iloc[catalog.layout["first_data_row"] - catalog.layout["code_row"] - 1 :]
        columns = [str(c) for c in frame.columns]
        table = f"naive_{name}"
        typed = ", ".join(f'"{c}" VARCHAR' for c in columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({typed})")
        marks = ", ".join("?" for _ in columns)
        for row in frame.itertuples(index=False):
            con.execute(f"INSERT INTO {table} VALUES ({marks})", [None if pd.isna(v) else str(v) for v in row])
            inserted += 1
    return inserted


def work(args: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    from council.catalog import load_catalog

    catalog = load_catalog()
    files = sorted(Path(args["inbox"]).rglob("*.xlsx"))
    con = duckdb.connect(str(temp_folder("naive") / "naive.duckdb"))
    start = time.perf_counter()
    rows = sum(naive_ingest(f, con, catalog) for f in files)
    wall = time.perf_counter() - start
    con.close()
    return {"files": len(files), "rows": rows, "wall_s": round(wall, 3)}


def measure(inbox: Path) -> dict[str, Any]:
    """The naive baseline over the files of an inbox (read only: the files stay where they are)."""
    return run_worker("bench.naive", {"inbox": str(inbox)})


if __name__ == "__main__":
    worker_main(work)
