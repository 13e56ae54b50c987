"""What analysts see in the Prefect UI: problem tables, sweep and pack summaries, a link to the pack."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from council.catalog import Catalog
from tasks.submission import Outcome

MAX_TABLE_ROWS = 500  # the UI is for reading; the feedback workbook carries every row


def sweep_markdown(outcomes: list[Outcome]) -> str:
    """One line per file, then the count per outcome."""
    if not outcomes:
        return "# Inbox sweep\n\nNo new files."
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
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Markdown table cells: user file names may contain pipes and markup."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace("`", "'")


def problem_rows(outcome: Outcome) -> list[dict[str, object]]:
    return [{"file": outcome.file_name, **p.as_json()} for p in outcome.problems[:MAX_TABLE_ROWS]]


def publish_sweep(outcomes: list[Outcome]) -> None:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(
        markdown=sweep_markdown(outcomes), key="inbox-sweep", description="Files taken in this sweep"
    )
    for centre in sorted({o.centre for o in outcomes if o.problems}):
        rows = [row for o in outcomes if o.centre == centre for row in problem_rows(o)]
        create_table_artifact(
            table=rows, key=f"problems-{centre.lower()}", description=f"Validation problems, {centre}"
        )


def pack_markdown(manifest: dict[str, object], catalog: Catalog) -> str:
    """Headline figures and who is missing, from the pack's own manifest."""
    inputs = manifest.get("inputs", [])
    used = {str(i.get("centre")) for i in inputs if isinstance(i, dict)}
    missing = [code for code in catalog.centres if code not in used]
    lines = [
        f"# Council pack {manifest.get('meeting', '')}",
        "",
        f"Period **{manifest.get('period', '')}**, built {manifest.get('built_at', '')}.",
    ]
    lines.append(f"Submissions used: {len(used)} of {len(catalog.centres)}; missing: {', '.join(missing) or 'none'}.")
    headline = manifest.get("headline") or {}
    if isinstance(headline, dict) and headline:
        lines += ["", "| figure | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in sorted(headline.items())]
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
    create_markdown_artifact(markdown=pack_markdown(manifest, catalog), key="council-pack-summary")
