"""What analysts see in the Prefect UI: problem tables, sweep and pack summaries, a link to the pack."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from council.catalog import Catalog
from council.escape import markdown_text
from council.problems import NOT_PROCESSED
from tasks.intake.inbox import Waiting
from tasks.pipeline.submission import Outcome

MAX_TABLE_ROWS = 500  # the UI is for reading; the feedback workbook carries every row
TOP_GROUPS = 5


def sweep_markdown(outcomes: list[Outcome], waiting: list[Waiting] | None = None) -> str:
    """One line per file, then the count per outcome, then what was left waiting and why."""
    waiting = waiting or []
    if not outcomes:
        return "\n".join(["# Inbox sweep", "", "No new files taken.", *_waiting_lines(waiting)])
    lines = [
        "# Inbox sweep",
        "",
        "| centre | file | period | outcome | errors | warnings |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        errors = sum(p.severity == "error" for p in o.problems)
        warnings = len(o.problems) - errors
        lines.append(f"| {o.centre} | {_cell(o.file_name)} | {o.period or ''} | {o.status} | {errors} | {warnings} |")
    counts = Counter(o.status for o in outcomes)
    lines += ["", ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))]
    lines += _failure_lines(outcomes) + _waiting_lines(waiting)
    return "\n".join(lines)


def _failure_lines(outcomes: list[Outcome]) -> list[str]:
    """Files the pipeline could not handle: what went wrong, and that they are retried or quarantined."""
    failed = [o for o in outcomes if o.status in NOT_PROCESSED]
    if not failed:
        return []
    lines = ["", "## Could not be processed", ""]
    return lines + [
        f"- {o.centre} {_cell(o.file_name)} ({o.status}, {_reference(o)}): {_cell(o.note or '')}" for o in failed
    ]


def _reference(o: Outcome) -> str:
    return f"reference {_cell(o.submission_id)}" if o.submission_id else "not recorded yet"


def _waiting_lines(waiting: list[Waiting]) -> list[str]:
    if not waiting:
        return []
    lines = ["", "## Not taken", ""]
    return lines + [f"- {_cell(w.centre or 'inbox')}/{_cell(w.name)}: {_cell(w.reason)}" for w in waiting]


def _cell(text: str) -> str:
    """Centre-controlled text (file names, values) in a table cell or a line: never markup, never a link."""
    return markdown_text(text)


def problem_rows(outcome: Outcome) -> list[dict[str, object]]:
    return [{"file": outcome.file_name, **p.as_json()} for p in outcome.problems[:MAX_TABLE_ROWS]]


def centre_markdown(centre: str, outcomes: list[Outcome]) -> str:
    """What one centre sent in this sweep and its most frequent problems, for the analyst on duty."""
    from tasks.feedback import group_problems

    lines = [f"# {centre}", ""]
    for o in outcomes:
        lines.append(f"- **{_cell(o.file_name)}** ({o.period or 'period unknown'}): {o.status}")
        for group in group_problems(o.problems)[:TOP_GROUPS]:
            where = ", ".join(group.cells[:3]) or group.sheet or "file"
            lines.append(f"  - `{group.rule}` ×{group.count} at {_cell(where)}: {_cell(group.message)}")
    return "\n".join(lines)


def publish_sweep(outcomes: list[Outcome], waiting: list[Waiting] | None = None) -> None:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(
        markdown=sweep_markdown(outcomes, waiting), key="inbox-sweep", description="Files taken in this sweep"
    )
    for centre in sorted({o.centre for o in outcomes}):
        mine = [o for o in outcomes if o.centre == centre]
        create_markdown_artifact(markdown=centre_markdown(centre, mine), key=f"sweep-{centre.lower()}")
        rows = [row for o in mine for row in problem_rows(o)]
        if rows:
            create_table_artifact(table=rows, key=f"problems-{centre.lower()}", description=f"Problems, {centre}")


HEADLINE_FIGURES = (
    "projects",
    "budget_total_kzt",
    "investment_kzt",
    "jobs",
    "implementations",
    "patent_applications",
    "budget_execution_pct",
)


def _figure(name: str, value: object) -> str:
    if not isinstance(value, int | float) or value != value:
        return ""
    if name.endswith("_pct"):
        return f"{value:.1%}"
    return f"{value:,.0f}".replace(",", " ")


def _when(value: object) -> str:
    """An ISO time from the manifest as a reader reads it (minutes, UTC)."""
    try:
        return datetime.fromisoformat(str(value)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return markdown_text(value or "—")


def _figure_label(name: str, catalog: Catalog, lang: str) -> str:
    """A headline figure's name as the pack prints it (schemas/text/pack.yaml), never its column code."""
    projects = catalog.sheets["projects"]
    if name in {f.name for f in projects.input_fields}:
        return catalog.text("pack.headline_projects_money", lang, field=projects.field(name).label(lang))
    return catalog.text(f"pack.headline_{name}", lang)


def _area_label(code: str, catalog: Catalog, lang: str) -> str:
    return catalog.text("pack.total", lang) if code == "ALL" else catalog.code_label("priority_area_or_all", code, lang)


def _used_centres(manifest: dict[str, object]) -> set[str]:
    inputs = manifest.get("inputs")
    return {str(i.get("centre")) for i in inputs if isinstance(i, dict)} if isinstance(inputs, list) else set()


def _missing_centres(manifest: dict[str, object], catalog: Catalog, lang: str) -> str:
    """Centres with no submission used, by name in the pack's language and code (what `council` commands take)."""
    used = _used_centres(manifest)
    missing = [f"{c.name(lang)} ({code})" for code, c in catalog.centres.items() if code not in used]
    return ", ".join(markdown_text(m) for m in missing) or catalog.text("pack.artifact_none", lang)


def pack_markdown(manifest: dict[str, object], catalog: Catalog) -> str:
    """Headline figures (one row per figure, one column per area) and who is missing, in the pack's language."""
    lang = str(manifest.get("language") or "ru")
    text = partial(catalog.text, lang=lang)
    used = len(_used_centres(manifest))
    # The sentences are the pack's own texts; the values put into them are escaped.
    lines = [f"# {text('pack.artifact_title', meeting=markdown_text(manifest.get('meeting', '')))}", ""]
    if manifest.get("draft"):
        lines += [f"**{markdown_text(text('pack.draft_mark'))}**", ""]
    when = {key: _when(manifest.get(key)) for key in ("data_as_of", "built_at")}
    lines.append(text("pack.artifact_period", period=markdown_text(manifest.get("period", "")), **when))
    missing = _missing_centres(manifest, catalog, lang)
    lines.append(text("pack.artifact_used", used=used, expected=len(catalog.centres), missing=missing))
    headline = manifest.get("headline") or {}
    if isinstance(headline, dict) and headline:
        areas = [a for a in (*catalog.codes("priority_area"), "ALL") if a in headline]
        head = [text("pack.headline_metric"), *(_area_label(a, catalog, lang) for a in areas)]
        lines += ["", "| " + " | ".join(markdown_text(h) for h in head) + " |", "|---" * (len(areas) + 1) + "|"]
        lines += [
            f"| {markdown_text(_figure_label(name, catalog, lang))} | "
            + " | ".join(_figure(name, headline[a].get(name)) or text("pack.no_data") for a in areas)
            + " |"
            for name in HEADLINE_FIGURES
        ]
    return "\n".join(lines)


def publish_pack(folder: Path, catalog: Catalog) -> None:
    from prefect.artifacts import create_link_artifact, create_markdown_artifact

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    create_link_artifact(
        link=(folder / "pack.xlsx").resolve().as_uri(),
        link_text="pack.xlsx",
        key="council-pack",
        description=str(folder),
    )
    if (folder / "pack.html").exists():
        create_link_artifact(
            link=(folder / "pack.html").resolve().as_uri(), link_text="pack.html", key="council-pack-html"
        )
    create_markdown_artifact(markdown=pack_markdown(manifest, catalog), key="council-pack-summary")
