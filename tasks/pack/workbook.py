"""Build the Council pack: pack.xlsx (xlsxwriter) and manifest.json, into a folder of its own."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from council.catalog import LANGUAGES, Catalog
from tasks.aggregate.completeness import completeness_summary
from tasks.aggregate.inputs import PackInputs
from tasks.aggregate.tables import PackTables, build_tables
from tasks.pack.annexes import write_completeness, write_data
from tasks.pack.context import SheetContext
from tasks.pack.dashboards import write_dashboards
from tasks.pack.excel import open_workbook
from tasks.pack.manifest import build_manifest, file_entry, write_manifest
from tasks.pack.summary import write_summary

PACK_XLSX, MANIFEST_JSON = "pack.xlsx", "manifest.json"


@dataclass(frozen=True)
class OutputFile:
    """One file the pack build wrote, with its hash and size."""

    name: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class PackResult:
    """What a pack build produced: its files (with hashes) and the manifest it wrote."""

    out_dir: Path
    files: tuple[OutputFile, ...]
    manifest: dict[str, Any]

    def file(self, name: str) -> OutputFile:
        return next(f for f in self.files if f.name == name)


def write_workbook(path: Path, inputs: PackInputs, catalog: Catalog, tables: PackTables, lang: str) -> None:
    """Write pack.xlsx: summary, a dashboard per area and one for all areas, completeness, data."""
    book, formats = open_workbook(path, inputs.built_at)
    ctx = SheetContext(book=book, formats=formats, inputs=inputs, catalog=catalog, lang=lang)
    line = completeness_summary(tables.completeness, catalog, lang)
    write_summary(ctx, tables.headline, line)
    write_dashboards(ctx, tables.kpi_by_area, tables.kpi_totals)
    write_completeness(ctx, tables.completeness, line)
    write_data(ctx)
    book.close()


def _output(out_dir: Path, name: str) -> OutputFile:
    entry = file_entry(out_dir / name)
    return OutputFile(name=name, path=out_dir / name, sha256=entry["sha256"], size=entry["size"])


def write_pack(
    inputs: PackInputs,
    catalog: Catalog,
    out_dir: Path,
    lang: str = "ru",
    *,
    code_version: str,
    tables: PackTables | None = None,
) -> PackResult:
    """Write `out_dir/pack.xlsx` then `out_dir/manifest.json` (which lists pack.xlsx's hash)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown pack language {lang!r}; expected one of {LANGUAGES}")
    tables = tables if tables is not None else build_tables(inputs, catalog)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Write beside the target, then rename: a crash never leaves a half-written pack.xlsx.
    partial = out_dir / f".{PACK_XLSX}.partial"
    write_workbook(partial, inputs, catalog, tables, lang)
    os.replace(partial, out_dir / PACK_XLSX)
    pack = _output(out_dir, PACK_XLSX)
    outputs = {pack.name: {"sha256": pack.sha256, "size": pack.size}}
    manifest = build_manifest(inputs, catalog, tables, lang, code_version, outputs)
    write_manifest(manifest, out_dir / MANIFEST_JSON)
    return PackResult(out_dir=out_dir, files=(pack, _output(out_dir, MANIFEST_JSON)), manifest=manifest)
