"""Run LibreOffice headless conversions the way a centre's "Save as" would, several files per start."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

SOFFICE = shutil.which("soffice")
SKIP_REASON = "LibreOffice (soffice) is not installed: run scripts/install-office.sh"
TIMEOUT_S = 120


def _command(files: Sequence[Path], fmt: str, outdir: Path, profile: Path) -> list[str]:
    # Absolute paths only: soffice takes a file named like `-rf.xlsx` for an option. A profile of its own
    # per call lets calls run side by side (one profile is locked by the running instance).
    return [
        str(SOFFICE),
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir.resolve()),
        *(str(f.resolve()) for f in files),
    ]


def convert_all(jobs: dict[str, Sequence[Path]], work: Path) -> dict[str, list[Path]]:
    """Convert each format's files in one soffice start, all formats in parallel; format → converted files."""
    running = {}
    for fmt, files in jobs.items():
        outdir, profile = work / fmt, work / f"profile-{fmt}"
        outdir.mkdir(parents=True, exist_ok=True)
        command = _command(files, fmt, outdir, profile)
        running[fmt] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    results = {}
    for fmt, process in running.items():
        _, err = process.communicate(timeout=TIMEOUT_S)
        outputs = [work / fmt / f"{f.stem}.{fmt}" for f in jobs[fmt]]
        missing = [p.name for p in outputs if not p.exists()]
        assert process.returncode == 0 and not missing, f"soffice --convert-to {fmt}: {missing} {err.decode()[-500:]}"
        results[fmt] = outputs
    return results
