"""One submission from drop folder to verdict: take, archive, read, validate, decide, load, answer.

A file's failure is that file's outcome: whatever goes wrong while one submission is handled is
recorded against it (retried later with a back-off, then quarantined) and never stops the sweep.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from council.catalog import Catalog
from council.owners import sweep_owner
from council.problems import Problem, Status, make_problem
from council.settings import Settings
from tasks.intake.files import InboxFile, archive_copy, display_name, move_to_processed
from tasks.intake.hold import Held, finish, give_back, hold, unchanged
from tasks.read import FileIssue, RawWorkbook, ReadLimits, detect_format
from tasks.storage import ledger
from tasks.storage.db import one_connection
from tasks.storage.verdicts import Verdict, record_verdict
from tasks.storage.warehouse import Acceptance, accepted_sheets, ensure_schema
from tasks.validate import ValidationResult, file_issue_result, validate_workbook

log = logging.getLogger("council.sweep")
Reader = Callable[[Path], RawWorkbook | FileIssue]
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Outcome:
    """What happened to one file, for logs, artifacts and the CLI."""

    centre: str
    file_name: str
    status: str  # a Status: accepted … rejected, held, duplicate, skipped, failed, quarantined
    submission_id: str | None = None
    period: str | None = None
    problems: list[Problem] = field(default_factory=list)
    feedback: Path | None = None
    annotated: Path | None = None  # the centre's workbook with problem cells marked, when any problem has a cell
    superseded: str | None = None
    note: str | None = None
    trace: str | None = None  # the traceback, when handling the file failed (for the log, not for the centre)


class TransientFailure(Exception):
    """The reader or the machine failed, not the file: never a verdict on the bytes, always tried again."""


@dataclass(frozen=True)
class Taken:
    """A file moved into the hold, its bytes archived under their hash and about to be recorded."""

    received: ledger.Received
    held: Held


def take(file: InboxFile, settings: Settings, catalog: Catalog) -> Taken | None:
    """Hold and archive a settled file; None if another sweep took it first or it changed while being copied
    (then it stays in the hold until complete, and goes back to the inbox to be taken in full)."""
    held = hold(file, settings.taken, sweep_owner())
    if held is None:
        return None
    try:
        sha256, size, stored = archive_copy(held.path, settings.archive, partial(_format_of, settings=settings))
    except Exception:
        give_back(held)  # a full disk, an unreadable file: back where it was, for a later sweep
        raise
    if size != held.size or not unchanged(held):
        return None
    name = display_name(held.name)
    return Taken(ledger.Received(file.centre, name, sha256, size, str(stored), settings.now()), held)


def _format_of(path: Path, settings: Settings) -> str:
    """The real format (it names the archived copy); zips need their directory, at the end of the file."""
    with path.open("rb") as handle:
        limit = settings.max_file_mb * 2**20
        return detect_format(handle.read() if path.stat().st_size <= limit else handle.read(HEAD_BYTES))


def judge(received: ledger.Received, settings: Settings, catalog: Catalog, read: Reader) -> ValidationResult:
    """Read the archived copy in isolation and validate it; an unreadable file is one problem."""
    workbook = read(Path(received.archive_path))
    if isinstance(workbook, FileIssue):
        if workbook.transient:
            raise TransientFailure(f"the reader failed: {workbook.found}")
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
    base = Outcome(received.centre, received.file_name, result.status, received.submission_id, period, result.problems)
    status = result.status
    if status != Status.REJECTED and period and ledger.is_locked(settings.warehouse, received.centre, period):
        status = Status.HELD
    verdict = Verdict(status, period, timely, result.problems, settings.now(), result.meta)
    if status not in (Status.REJECTED, Status.HELD):
        acceptance = _acceptance(received, result, settings, catalog, timely)
        verdict = replace(verdict, acceptance=acceptance, frames=result.frames)
    superseded = record_verdict(settings.warehouse, catalog, received, verdict)
    return replace(base, status=status, superseded=superseded)


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
        is_correction=catalog.is_yes(result.meta.get("is_correction")),
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
    reference = received.sha256[:8]  # two names that are equal once made safe still get two answers
    annotated = None  # written first, so the feedback summary names only a copy that exists
    if has_cell_problems(result.problems):
        target = folder / annotated_file_name(received.file_name, received.received_at, outcome.status, reference)
        limits = ReadLimits.from_settings(settings)  # the copy is made by a child under the reader's own limits
        annotated = annotate_workbook(Path(received.archive_path), target, result.problems, result.lang, limits=limits)
    out = folder / feedback_file_name(received.file_name, received.received_at, outcome.status, reference)
    feedback = write_feedback(
        catalog,
        out,
        status=outcome.status,
        problems=outcome.problems,
        lang=result.lang,
        centre=received.centre,
        period=outcome.period,
        file_name=received.file_name,
        sha256=received.sha256,
        received_at=received.received_at,
        annotated=annotated.name if annotated else None,
        on_time=on_time(catalog, outcome.period, received.received_at),
        annotated_cells=annotated_count(result.problems),
    )
    return replace(outcome, feedback=feedback, annotated=annotated)


def process_received(received: ledger.Received, settings: Settings, catalog: Catalog, read: Reader) -> Outcome:
    """Judge, decide and answer one claimed submission (fresh, retried, or released); never raises.

    A verdict committed before a crash is not taken again (no second load, no second ledger entry);
    only the answer is written, and the submission counts as finished once it is.
    """
    seen: dict[str, str] = {}  # the submitter's language, once the workbook has told it
    try:
        return _decide_and_answer(received, settings, catalog, read, seen)
    except Exception as error:  # whatever it is, it is this file's outcome, not the sweep's
        return failed(received, error, settings, catalog, seen.get("lang"))


def _decide_and_answer(
    received: ledger.Received, settings: Settings, catalog: Catalog, read: Reader, seen: dict[str, str]
) -> Outcome:
    result = judge(received, settings, catalog, read)
    seen["lang"] = result.lang
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


def failed(
    received: ledger.Received, error: BaseException, settings: Settings, catalog: Catalog, lang: str | None
) -> Outcome:
    """Count the failure against the submission, tell the centre (first time, and when giving up), log it."""
    detail = f"{type(error).__name__}: {error}"
    log.error("%s %s: could not be processed: %s", received.centre, received.file_name, detail, exc_info=error)
    trace = "".join(traceback.format_exception(error))
    try:
        failure = ledger.record_failure(
            settings.warehouse,
            received,
            error=trace,
            at=settings.now(),
            max_attempts=settings.max_attempts,
            backoff_s=settings.retry_backoff_s,
        )
    except Exception as unrecorded:  # the warehouse itself fails: the claim lapses, a later sweep retries
        log.error("%s: the failure could not be recorded either: %s", received.submission_id, unrecorded)
        note = f"{detail}; not recorded ({unrecorded}), tried again by a later sweep"
        return Outcome(
            received.centre, received.file_name, Status.FAILED, received.submission_id, note=note, trace=trace
        )
    status = Status.QUARANTINED if failure.quarantined else Status.FAILED
    note = detail if failure.quarantined else f"{detail}; attempt {failure.attempts}, tried again later"
    outcome = Outcome(received.centre, received.file_name, status, received.submission_id, note=note, trace=trace)
    if failure.quarantined or failure.attempts == 1:
        outcome = _answer_failure(outcome, received, settings, catalog, lang or "ru", failure.attempts)
    return outcome


def _answer_failure(
    outcome: Outcome, received: ledger.Received, settings: Settings, catalog: Catalog, lang: str, attempts: int
) -> Outcome:
    """'We could not process this file; the agency has been told', with the reference; best effort."""
    rule = f"pipeline.{outcome.status}"
    problem = make_problem(catalog, rule, lang, reference=received.submission_id, attempts=attempts)
    told = replace(outcome, problems=[problem] if problem else [])
    result = ValidationResult(status=outcome.status, problems=told.problems, lang=lang)
    try:
        return answer(told, received, result, settings, catalog)
    except Exception as error:  # an unwritable outbox: listed for analysts, retried with the file
        log.error("%s: the answer could not be written: %s", received.submission_id, error)
        return replace(told, note=f"{told.note}; no answer written: {error}")


def process_file(file: InboxFile, settings: Settings, catalog: Catalog, read: Reader) -> Outcome:
    """The whole path of one dropped file; never raises. It leaves the inbox once its bytes are archived."""
    try:
        ensure_schema(settings.warehouse, catalog)
        taken = take(file, settings, catalog)
        if taken is None:
            note = "taken by another sweep, or changed while it was copied (taken again once complete)"
            return Outcome(file.centre, display_name(file.path.name), Status.SKIPPED, note=note)
        return _recorded(taken, settings, catalog, read)
    except Exception as error:  # e.g. unreadable, a full disk, a ledger that cannot be written: a later sweep retries
        log.error("%s %s: could not be taken: %s", file.centre, file.path.name, error, exc_info=error)
        note = f"could not be taken ({type(error).__name__}: {error}); it is tried again by a later sweep"
        trace = "".join(traceback.format_exception(error))
        return Outcome(file.centre, display_name(file.path.name), Status.FAILED, note=note, trace=trace)


def _recorded(taken: Taken, settings: Settings, catalog: Catalog, read: Reader) -> Outcome:
    received = taken.received
    try:
        seen = ledger.record_received(settings.warehouse, received, claim_timeout_s=settings.claim_timeout_s)
    except Exception:
        give_back(taken.held)  # not recorded: the next sweep takes it from the drop folder again
        raise
    if seen in ("busy", "duplicate"):  # busy: the same bytes, dropped twice, are being handled by another sweep
        status = ledger.submission_status(settings.warehouse, received.submission_id)
        outcome = Outcome(
            received.centre,
            received.file_name,
            Status.DUPLICATE,
            received.submission_id,
            note=f"same bytes as an earlier file ({status})",
        )
    else:
        outcome = process_received(received, settings, catalog, read)
    return _leave_inbox(outcome, taken, settings)


def _leave_inbox(outcome: Outcome, taken: Taken, settings: Settings) -> Outcome:
    """A copy under processed/ from the archive, and the hold marked done; a failure here loses nothing."""
    received, notes = taken.received, [outcome.note] if outcome.note else []
    try:
        move_to_processed(
            Path(received.archive_path), settings.processed, received.centre, received.received_at, taken.held.name
        )
    except OSError as error:
        log.error("%s: the processed copy could not be written: %s", received.submission_id, error)
        notes.append(f"processed copy not written: {error}")
    try:
        finish(taken.held)
    except OSError as error:
        log.error("%s: the hold could not be marked done: %s", received.submission_id, error)
        notes.append(f"left in the hold: {error}")
    return replace(outcome, note="; ".join(notes) or None)
