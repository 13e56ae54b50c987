"""One submission from drop folder to verdict: take, archive, read, validate, decide, load, answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from council.catalog import Catalog
from council.problems import Problem
from council.settings import Settings
from tasks.intake import ledger
from tasks.intake.files import InboxFile, archive_copy, display_name, move_to_processed, sha256_of, unchanged
from tasks.load.db import one_connection
from tasks.load.warehouse import Acceptance, accepted_sheets, ensure_schema, load_submission
from tasks.read import FileIssue, RawWorkbook, detect_format
from tasks.validate import ValidationResult, file_issue_result, validate_workbook

Reader = Callable[[Path], RawWorkbook | FileIssue]
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Outcome:
    """What happened to one file, for logs, artifacts and the CLI."""

    centre: str
    file_name: str
    status: str  # accepted | accepted_with_warnings | rejected | held | duplicate | skipped
    submission_id: str | None = None
    period: str | None = None
    problems: list[Problem] = field(default_factory=list)
    feedback: Path | None = None
    annotated: Path | None = None  # the centre's workbook with problem cells marked, when any problem has a cell
    superseded: str | None = None
    note: str | None = None


def take(file: InboxFile, settings: Settings, catalog: Catalog) -> ledger.Received | None:
    """Hash and archive a settled file; None if it changed while we read it or another sweep moved it away."""
    try:
        sha256, size = sha256_of(file.path)
        if size != file.size or not unchanged(file):
            return None
        stored = archive_copy(file.path, settings.archive, sha256, _format_of(file.path, size, settings))
    except FileNotFoundError:
        return None
    return ledger.Received(file.centre, display_name(file.path.name), sha256, size, str(stored), settings.now())


def _format_of(path: Path, size: int, settings: Settings) -> str:
    """The real format (it names the archived copy); zips need their directory, at the end of the file."""
    with path.open("rb") as handle:
        return detect_format(handle.read() if size <= settings.max_file_mb * 2**20 else handle.read(HEAD_BYTES))


def judge(received: ledger.Received, settings: Settings, catalog: Catalog, read: Reader) -> ValidationResult:
    """Read the archived copy in isolation and validate it; an unreadable file is one problem."""
    workbook = read(Path(received.archive_path))
    if isinstance(workbook, FileIssue):
        return file_issue_result(workbook, catalog)
    history = partial(accepted_sheets, settings.warehouse, catalog)
    return validate_workbook(workbook, catalog, folder_centre=received.centre, now=settings.now(), history=history)


def on_time(catalog: Catalog, period: str | None, received_at: datetime) -> bool | None:
    """Due date plus grace decides timeliness only; late is never a rejection."""
    known = catalog.periods.get(period or "")
    return None if known is None else received_at.date() <= known.deadline


def decide(received: ledger.Received, result: ValidationResult, settings: Settings, catalog: Catalog) -> Outcome:
    """Reject, hold for a locked period, or load (superseding the previous accepted version)."""
    period, timely = result.period, on_time(catalog, result.period, received.received_at)
    base = {
        "centre": received.centre,
        "file_name": received.file_name,
        "submission_id": received.submission_id,
        "period": period,
        "problems": result.problems,
    }
    status = result.status
    if status != "rejected" and period and ledger.is_locked(settings.warehouse, received.centre, period):
        status = "held"
    if status in ("rejected", "held"):
        ledger.record_outcome(
            settings.warehouse,
            received,
            status=status,
            period=period,
            on_time=timely,
            problems=result.problems,
            at=settings.now(),
            meta=result.meta,
        )
        return Outcome(status=status, **base)
    acceptance = _acceptance(received, result, settings, catalog, timely)
    superseded = load_submission(settings.warehouse, catalog, acceptance, result.frames, result.problems)
    return Outcome(status=status, superseded=superseded, **base)


def _acceptance(
    received: ledger.Received, result: ValidationResult, settings: Settings, catalog: Catalog, timely: bool | None
) -> Acceptance:
    kpi = result.frames.get("kpi")
    estimated = int(kpi["obs_status"].isin(["E", "P"]).sum()) if kpi is not None else 0
    return Acceptance(
        submission_id=received.submission_id,
        centre=received.centre,
        period=str(result.period),
        status=result.status,
        on_time=bool(timely),
        template_version=str(result.meta.get("template_version", "")),
        language=result.lang,
        is_correction=str(result.meta.get("is_correction", "")).strip().upper() in {"YES", "ДА", "ИӘ", "TRUE", "1"},
        estimated_values=estimated,
        processed_at=settings.now(),
    )


def answer(
    outcome: Outcome, received: ledger.Received, result: ValidationResult, settings: Settings, catalog: Catalog
) -> Outcome:
    """Feedback workbook in the submitter's language, plus their workbook annotated when a problem has a cell."""
    from tasks.feedback import (
        annotate_workbook,
        annotated_count,
        annotated_file_name,
        feedback_file_name,
        has_cell_problems,
        write_feedback,
    )

    folder = settings.outbox / received.centre
    folder.mkdir(parents=True, exist_ok=True)
    annotated = None  # written first, so the feedback summary names only a copy that exists
    if has_cell_problems(result.problems):
        target = folder / annotated_file_name(received.file_name, received.received_at, outcome.status)
        annotated = annotate_workbook(Path(received.archive_path), target, result.problems, result.lang)
    out = folder / feedback_file_name(received.file_name, received.received_at, outcome.status)
    feedback = write_feedback(
        catalog,
        out,
        status=outcome.status,
        problems=result.problems,
        lang=result.lang,
        centre=received.centre,
        period=outcome.period,
        file_name=received.file_name,
        sha256=received.sha256,
        received_at=received.received_at,
        annotated=annotated.name if annotated else None,
        annotated_cells=annotated_count(result.problems),
    )
    return replace(outcome, feedback=feedback, annotated=annotated)


def process_received(received: ledger.Received, settings: Settings, catalog: Catalog, read: Reader) -> Outcome:
    """Judge, decide and answer one claimed submission (fresh, retried after a crash, or released).

    A verdict committed before a crash is not taken again (no second load, no second ledger entry);
    only the answer is written, and the submission counts as finished once it is.
    """
    result = judge(received, settings, catalog, read)
    with one_connection(settings.warehouse):  # the check, the lock test and the load: one open, not three
        decided = ledger.decided_status(settings.warehouse, received.submission_id)
        if decided is None:
            outcome = decide(received, result, settings, catalog)
        else:
            outcome = Outcome(
                received.centre,
                received.file_name,
                decided,
                received.submission_id,
                result.period,
                result.problems,
                note="decided before an interruption",
            )
    outcome = answer(outcome, received, result, settings, catalog)
    ledger.mark_answered(settings.warehouse, received.submission_id, settings.now())
    return outcome


def process_file(file: InboxFile, settings: Settings, catalog: Catalog, read: Reader) -> Outcome:
    """The whole path of one dropped file; the inbox copy leaves only once its bytes are archived."""
    ensure_schema(settings.warehouse, catalog)
    received = take(file, settings, catalog)
    if received is None:
        return Outcome(file.centre, file.path.name, "skipped")
    seen = ledger.record_received(settings.warehouse, received)
    if seen == "busy":  # another sweep has claimed these bytes; it answers and moves the file
        note = "in progress in another sweep"
        return Outcome(file.centre, file.path.name, "skipped", received.submission_id, note=note)
    if seen == "duplicate":
        move_to_processed(file.path, settings.processed, file.centre, received.received_at)
        status = ledger.submission_status(settings.warehouse, received.submission_id)
        return Outcome(
            file.centre,
            file.path.name,
            "duplicate",
            received.submission_id,
            note=f"same bytes as an earlier file ({status})",
        )
    outcome = process_received(received, settings, catalog, read)
    move_to_processed(file.path, settings.processed, file.centre, received.received_at)
    return outcome
