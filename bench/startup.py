"""Item 5: start-up wall time of `council --help` and `council status` next to `python -c "import prefect"`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import ROOT, median_of, temp_folder


def _command_time(command: list[str], runs: int, env: dict[str, str]) -> float:
    def once() -> None:
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)

    once()  # the first run pays for cold disk caches and .pyc writing
    return round(median_of(runs, once), 3)


def measure(runs: int) -> dict[str, Any]:
    council = str(Path(sys.executable).with_name("council"))
    env = {**os.environ, "COUNCIL_DATA_DIR": str(temp_folder("startup")), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    figures = {
        "import_prefect_s": _command_time([sys.executable, "-c", "import prefect"], runs, env),
        "python_bare_s": _command_time([sys.executable, "-c", "pass"], runs, env),
        "council_help_s": _command_time([council, "--help"], runs, env),
        "council_status_s": _command_time([council, "status", "--period", "2026S1"], runs, env),
    }
    figures["help_over_prefect"] = round(figures["council_help_s"] / figures["import_prefect_s"], 2)
    return figures
