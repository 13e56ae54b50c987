"""`council`: the analysts' command line. Imports stay inside commands so start-up is instant."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="council", description="Technology Policy Council reporting pipeline.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("template", help="write a blank report workbook for a centre and period")
    p.add_argument("--centre", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--lang", default="ru", choices=["kk", "ru", "en"])
    p.add_argument("--out", required=True, type=Path)

    p = sub.add_parser("ingest", help="one sweep of the inbox (exit 0 whenever the sweep ran)")
    p.add_argument("--centre", help="only this centre's drop folder")
    p.add_argument("--json", action="store_true", help="print the outcomes as JSON")

    p = sub.add_parser("validate", help="dry run: the verdict on one file, loading nothing")
    p.add_argument("file", type=Path)
    p.add_argument("--centre", help="the folder the file would be dropped in (default: its _meta centre)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("status", help="who has submitted for a period")
    p.add_argument("--period", required=True)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("pack", help="build the Council pack for a meeting or a period")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting")
    which.add_argument("--period")
    p.add_argument("--lang", default="ru", choices=["kk", "ru", "en"])
    p.add_argument("--draft", action="store_true", help="preview: do not lock the period")

    p = sub.add_parser("unlock", help="let a centre resubmit for a locked period (recorded with the reason)")
    p.add_argument("--centre", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--reason", required=True)

    p = sub.add_parser("rebuild", help="recreate the ledger and the warehouse from the archive and the journal")
    p.add_argument("--force", action="store_true", help="move an existing warehouse aside (never deleted) first")

    p = sub.add_parser("retry", help="try a quarantined submission again (the next sweep takes it)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--submission", help="its reference, e.g. AGRO-1a2b3c4d5e6f7a8b")
    which.add_argument("--all", action="store_true", help="every quarantined submission")

    p = sub.add_parser("samples", help="write realistic sample submissions into the inbox")
    p.add_argument("--periods", nargs="+", default=["2025S1", "2025S2", "2026S1"])
    p.add_argument("--seed", type=int, default=7)

    p = sub.add_parser(
        "serve",
        help="serve every deployment of prefect.yaml (starts a local Prefect server unless PREFECT_API_URL is set)",
    )
    p.add_argument("--port", type=int, default=4200, help="port of the local Prefect server and UI (default 4200)")
    p.add_argument(
        "--config", type=Path, metavar="FILE", help="a prefect.yaml of your own (default: the installed one)"
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="also watch the drop folders and start a sweep as soon as a file has settled (not only every 5 min)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from council_cli import commands

    args = commands.normalise_codes(args)
    try:
        return int(getattr(commands, f"cmd_{args.command}")(args) or 0)
    except _refusals() as error:
        print(f"council {args.command}: {error}", file=sys.stderr)
        return 2


def _refusals() -> tuple[type[Exception], ...]:
    """Errors the user can act on, shown in one line (exit 2) rather than as a traceback.

    Called only once something was raised, so DuckDB is imported on that path, never at start.
    """
    from council.settings import SettingsError
    from council_cli.commands import UsageError
    from tasks.pack.folder import PackBuildBusy
    from tasks.storage.db import WarehouseUnreadable

    return UsageError, SettingsError, WarehouseUnreadable, PackBuildBusy


if __name__ == "__main__":
    raise SystemExit(main())
