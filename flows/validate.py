"""Ad-hoc dry run of one file from the Prefect UI: the verdict as artifacts, nothing loaded."""

from __future__ import annotations

from pathlib import Path

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from council.catalog import load_catalog
from council.settings import Settings
from tasks.pipeline.dry_run import validate_file


@flow(name="validate-file")
def validate_one(path: str, centre: str | None = None) -> str:
    """Same verdict as a sweep would give; publishes the problems table.

    Args:
        path: the workbook to check, as a path on the machine that runs the flow.
        centre: the centre the file is from (e.g. ELEC); empty: from its drop folder or its _meta sheet.
    """
    result = validate_file(Path(path), Settings.from_env(), load_catalog(), centre=centre)
    create_markdown_artifact(
        markdown=f"# {Path(path).name}\n\nVerdict: **{result.status}**, {len(result.problems)} problem(s).",
        key="validate-file",
    )
    if result.problems:
        create_table_artifact(table=[p.as_json() for p in result.problems], key="validate-file-problems")
    return result.status
