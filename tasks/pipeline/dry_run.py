"""`council validate FILE`: the same verdict a sweep would give, with nothing recorded or loaded."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from council.catalog import Catalog
from council.settings import Settings
from tasks.read import FileIssue, ReadLimits, read_workbook
from tasks.storage.warehouse import accepted_sheets
from tasks.validate import ValidationResult, file_issue_result, validate_workbook
from tasks.validate.structure import read_meta


def folder_centre(path: Path, catalog: Catalog, meta: dict[str, object] | None) -> str:
    """The centre whose drop folder the file is in, else the one its `_meta` names."""
    if path.resolve().parent.name in catalog.centres:
        return path.resolve().parent.name
    return str((meta or {}).get("centre_code", "")).upper()


def validate_file(path: Path, settings: Settings, catalog: Catalog, centre: str | None = None) -> ValidationResult:

    workbook = read_workbook(path, ReadLimits.from_settings(settings))
    if isinstance(workbook, FileIssue):
        return file_issue_result(workbook, catalog)
    centre = centre or folder_centre(path, catalog, read_meta(workbook, catalog))
    # Reading the warehouse for the plausibility rules loads nothing: the verdict matches a sweep's.
    history = partial(accepted_sheets, settings.warehouse, catalog)
    return validate_workbook(workbook, catalog, folder_centre=centre, now=settings.now(), history=history)
