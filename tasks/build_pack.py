"""Building a Council pack as plain functions (the Prefect flow wires the same steps)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from council import __version__
from council.catalog import Catalog
from council.settings import Settings
from tasks.intake.ledger import lock_period
from tasks.load.warehouse import ensure_schema, read_pack_inputs

REPO = Path(__file__).resolve().parent.parent


def resolve_meeting(catalog: Catalog, meeting: str | None, period: str | None) -> tuple[str, str]:
    """(pack id, period): a meeting names its period; a period maps to the meeting that reviews it."""
    if meeting:
        return meeting, catalog.meetings[meeting].period
    reviewing = next((m.id for m in catalog.meetings.values() if m.period == period), None)
    return reviewing or f"period-{period}", str(period)


def code_version() -> str:
    """Package version plus the git commit when run from a checkout (the manifest records it)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}"


def previous_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of the pack about to be replaced, so the new one can say what changed."""
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build_pack(
    settings: Settings, catalog: Catalog, pack_id: str, period: str, *, lang: str = "ru", draft: bool = False
) -> Path:
    """Write packs/<id>/ from the submissions in force; an official (non-draft) build locks the period."""
    from tasks.pack import write_pack

    ensure_schema(settings.warehouse, catalog)
    built_at = settings.now()
    inputs = read_pack_inputs(settings.warehouse, catalog, pack_id, period, built_at)
    folder = settings.packs / (f"{pack_id}-draft" if draft else pack_id)
    staging = folder.with_name(f".{folder.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    before = previous_manifest(folder)
    write_pack(inputs, catalog, staging, lang=lang, code_version=code_version(), previous_manifest=before)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)  # readers never see a half-written pack folder
    if not draft:
        lock_period(settings.warehouse, period, pack_id, built_at)
    return folder
