"""What each `council` command does; heavy libraries are imported only by the commands that need them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from council.catalog import Catalog, load_catalog
from council.escape import printable
from council.settings import Settings


def print_json(payload: object) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


class UsageError(Exception):
    """A command line that names something the registry does not know."""


# Codes typed on the command line are accepted in any case (`agro`, `2026s1`, `tpc-2026-09`).
CODE_ARGUMENTS = ("centre", "period", "periods", "meeting")


def normalise_codes(args: argparse.Namespace) -> argparse.Namespace:
    """The arguments with centre, period and meeting codes as the registry spells them (upper case)."""
    codes = {name: _upper(getattr(args, name)) for name in CODE_ARGUMENTS if hasattr(args, name)}
    return argparse.Namespace(**(vars(args) | codes))


def _upper(value: object) -> object:
    if isinstance(value, list):
        return [_upper(v) for v in value]
    return value.strip().upper() if isinstance(value, str) else value


def _known(
    catalog: Catalog, *, centre: str | None = None, period: str | None = None, meeting: str | None = None
) -> None:
    if centre and centre.upper() not in catalog.centres:
        raise UsageError(f"unknown centre {centre!r}; registered: {', '.join(catalog.centres)}")
    if period and period.upper() not in catalog.periods:
        first = catalog.periods.first
        raise UsageError(f"unknown period {period!r}; a half-year such as 2026S1 or 2026S2, from {first} on")
    if meeting and meeting.upper() not in catalog.meetings:
        listed = ", ".join(catalog.meetings)
        raise UsageError(f"unknown meeting {meeting!r}; set by the Council: {listed}; later ones: TPC-YYYY-MM")


def cmd_template(args: argparse.Namespace) -> int:
    from tasks.template import write_template

    catalog = load_catalog()
    _known(catalog, centre=args.centre, period=args.period)
    path = write_template(catalog, args.centre, args.period, args.lang, args.out)
    print(path)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from tasks.pipeline.sweep import parallel_report

    settings, catalog = Settings.from_env(), load_catalog()
    _known(catalog, centre=args.centre)
    report = parallel_report(settings, catalog, args.centre)
    if args.json:
        print_json([_outcome_json(o) for o in report.outcomes])
        return 0
    for o in report.outcomes:
        name = printable(o.file_name)
        print(f"{o.centre:<7} {o.status:<23} {o.period or '':<7} {len(o.problems):>4} problems  {name}")
        if o.status in ("failed", "quarantined", "skipped") and o.note:
            print(f"        {printable(o.note)}")
    print(f"{len(report.outcomes)} file(s) swept")
    _print_waiting(report.waiting)
    return 0


def _print_waiting(waiting: list[Any]) -> None:
    """What a sweep did not take, and why: never only "0 file(s) swept" while files wait."""
    if waiting:
        print(f"{len(waiting)} not taken:")
    for w in waiting:
        print(f"  {w.centre or 'inbox'}/{printable(w.name)}: {w.reason}")


def _outcome_json(o: object) -> dict[str, object]:
    data = dict(vars(o))
    data["problems"] = len(data["problems"])
    for path in ("feedback", "annotated"):
        data[path] = str(data[path]) if data[path] else None
    data.pop("trace", None)  # in the log and the ledger; the note says what happened
    return data


def cmd_validate(args: argparse.Namespace) -> int:
    from council.problems import REJECTED
    from tasks.pipeline.dry_run import validate_file

    settings, catalog = Settings.from_env(), load_catalog()
    _known(catalog, centre=args.centre)
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    result = validate_file(args.file, settings, catalog, centre=args.centre)
    if args.json:
        print_json({"status": result.status, "problems": [p.as_json() for p in result.problems]})
    else:
        print(result.status)
        for p in result.problems:
            print(f"  {p.severity:<7} {p.cell or p.sheet or '-':<16} {p.rule:<28} {p.message}")
    return 1 if result.status == REJECTED else 0


def cmd_status(args: argparse.Namespace) -> int:
    import time

    from tasks.intake.inbox import list_inbox
    from tasks.storage.ledger import attention_rows, status_rows
    from tasks.storage.warehouse import ensure_schema

    settings, catalog = Settings.from_env(), load_catalog()
    _known(catalog, period=args.period)
    ensure_schema(settings.warehouse, catalog)
    rows = status_rows(settings.warehouse, catalog, args.period)
    attention = attention_rows(settings.warehouse)
    centres = list(catalog.centres)
    waiting = list_inbox(settings.inbox, centres, settings.settle_seconds, time.time(), create=False).waiting
    if args.json:
        print_json([_with_inbox(r, attention, waiting) for r in rows])
        return 0
    print(f"{'centre':<8} {'status':<23} {'timeliness':<10} {'versions':>8}  in force")
    for r in rows:
        print(f"{r['centre']:<8} {r['status']:<23} {r['timeliness']:<10} {r['versions']:>8}  {r['in_force'] or '-'}")
    _print_attention(attention)
    _print_waiting(waiting)
    return 0


def _with_inbox(row: dict[str, object], attention: list[dict[str, object]], waiting: list[Any]) -> dict[str, object]:
    """A centre's status entry plus what needs an analyst (failed, quarantined) and what waits in its folder."""
    mine = [a | {"file_name": printable(a["file_name"])} for a in attention if a["centre"] == row["centre"]]
    inbox = [{"name": printable(w.name), "reason": w.reason} for w in waiting if w.centre == row["centre"]]
    return row | {"needs_attention": mine, "waiting": inbox}


def _print_attention(attention: list[dict[str, object]]) -> None:
    if attention:
        print(f"{len(attention)} submission(s) the pipeline could not process (any period):")
    for a in attention:
        lines = str(a["last_error"] or "").strip().splitlines()
        error = printable(lines[-1] if lines else "")
        when = "quarantined: `council retry` tries again" if a["state"] == "quarantined" else "tried again later"
        print(
            f"  {a['centre']:<7} {a['submission_id']}  {printable(a['file_name'])}: {a['attempts']} attempt(s), {when}"
        )
        print(f"          {error}")


def cmd_retry(args: argparse.Namespace) -> int:
    from tasks.storage.ledger import attention_rows, release_quarantined
    from tasks.storage.warehouse import ensure_schema

    settings, catalog = Settings.from_env(), load_catalog()
    ensure_schema(settings.warehouse, catalog)
    quarantined = [str(a["submission_id"]) for a in attention_rows(settings.warehouse) if a["state"] == "quarantined"]
    wanted = quarantined if args.all else [args.submission]
    unknown = [w for w in wanted if w not in quarantined]
    if unknown:
        raise UsageError(f"not quarantined: {', '.join(unknown)}; quarantined: {', '.join(quarantined) or 'none'}")
    for submission_id in wanted:
        release_quarantined(settings.warehouse, submission_id, settings.now())
        print(f"{submission_id}: released; the next sweep tries it again")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    from tasks.pipeline.build_pack import build_pack, resolve_meeting

    settings, catalog = Settings.from_env(), load_catalog()
    _known(catalog, period=args.period, meeting=args.meeting)
    pack_id, period = resolve_meeting(catalog, args.meeting, args.period)
    folder = build_pack(settings, catalog, pack_id, period, lang=args.lang, draft=args.draft)
    print(folder)
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    from tasks.pipeline.submission import process_received
    from tasks.pipeline.sweep import open_reader, pending_submissions
    from tasks.storage.ledger import is_locked, record_unlock
    from tasks.storage.warehouse import ensure_schema

    settings, catalog = Settings.from_env(), load_catalog()
    _known(catalog, centre=args.centre, period=args.period)
    if not args.reason.strip():
        raise UsageError("a reason is required")
    ensure_schema(settings.warehouse, catalog)
    if not is_locked(settings.warehouse, args.centre, args.period):
        # Recording an unlock that releases nothing would only tell the analyst something happened.
        raise UsageError(f"{args.period} is not locked for {args.centre} (no official pack since), nothing to unlock")
    record_unlock(settings.warehouse, args.centre, args.period, args.reason.strip(), settings.now())
    print(f"{args.centre} {args.period} unlocked: {args.reason.strip()}")
    with open_reader(settings) as read:
        for received in pending_submissions(settings, catalog):
            outcome = process_received(received, settings, catalog, read)
            print(f"  released {outcome.file_name}: {outcome.status}")
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from tasks.pipeline.rebuild import RebuildRefused, journal_to_replay, rebuild, report_lines
    from tasks.pipeline.sweep import open_reader

    settings, catalog = Settings.from_env(), load_catalog()
    try:
        journal_to_replay(settings, args.force)  # refuse before a reader child is started
        with open_reader(settings) as read:
            report = rebuild(settings, catalog, read, force=args.force)
    except RebuildRefused as error:
        raise UsageError(str(error)) from error
    print("\n".join(report_lines(report, settings.warehouse)))
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from tasks.samples import write_samples

    settings, catalog = Settings.from_env(), load_catalog()
    for period in args.periods:
        _known(catalog, period=period)
    paths = write_samples(catalog, settings.inbox, args.periods, seed=args.seed)
    print(f"{len(paths)} sample submission(s) written under {settings.inbox}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from council.resources import prefect_config
    from flows.serve import serve_all

    config = args.config.resolve() if args.config else prefect_config()  # the package's own unless told
    if not config.is_file():
        raise UsageError(f"--config {config}: no such file")
    code = serve_all(Settings.from_env(), config, port=args.port, watch=args.watch)
    # Prefect's runner leaves a non-daemon observer thread polling the API after Ctrl-C; once the
    # deployments are paused and the local server is stopped there is nothing left to wait for.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
