"""Sample submissions on disk: one filled workbook per centre and period, named the way people name files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from council.catalog import Catalog
from tasks.samples import content
from tasks.samples.content import tr
from tasks.samples.generator import generate_rows, sample_meta
from tasks.samples.mistakes import Rows, apply_mistakes, apply_quirks
from tasks.samples.portfolio import centre_language
from tasks.template import build_workbook

YES = "YES"  # yes_no code


def submission_rows(catalog: Catalog, centre: str, period: str, seed: int = 7, mistakes: bool = True) -> Rows:
    """What the centre's file holds: the clean rows, with its quirks and (unless corrected) its mistakes."""
    rows = generate_rows(catalog, centre, period, seed)
    return apply_quirks(apply_mistakes(catalog, rows, centre, period) if mistakes else rows, centre, period)


def sample_filename(catalog: Catalog, centre: str, period: str) -> str:
    """A plausible human file name in the centre's language (e.g. `Отчёт_HEALTH_2026S1.xlsx`)."""
    patterns = content.FILE_NAMES[centre_language(catalog, centre)]
    position = list(catalog.centres).index(centre) if centre in catalog.centres else 0
    return patterns[position % len(patterns)].format(centre=centre, period=period)


def sample_workbook(catalog: Catalog, centre: str, period: str, seed: int = 7) -> bytes:
    """The bytes of one sample submission as first sent (quirks and declared mistakes included)."""
    lang = centre_language(catalog, centre)
    rows = submission_rows(catalog, centre, period, seed)
    return build_workbook(catalog, centre, period, lang, rows, sample_meta(catalog, centre, period, lang))


def corrected_resubmission(catalog: Catalog, centre: str, period: str, seed: int = 7) -> bytes:
    """The same report resent without its mistakes, flagged as a correction with a reason."""
    lang = centre_language(catalog, centre)
    meta = sample_meta(catalog, centre, period, lang)
    submitted = meta["submission_date"]
    meta["is_correction"] = YES
    meta["correction_reason"] = tr(content.CORRECTION_REASONS[0], lang)
    if isinstance(submitted, date):
        meta["submission_date"] = submitted + timedelta(days=3)
    rows = submission_rows(catalog, centre, period, seed, mistakes=False)
    return build_workbook(catalog, centre, period, lang, rows, meta)


def write_samples(
    catalog: Catalog,
    inbox: Path,
    periods: Sequence[str],
    seed: int = 7,
    centres: Iterable[str] | None = None,
) -> list[Path]:
    """Write one sample workbook per centre and period into `inbox/<CENTRE>/`; returns the paths."""
    written = []
    for centre in centres or catalog.centres:
        for period in periods:
            target = inbox / centre / sample_filename(catalog, centre, period)
            written.append(drop_file(target, sample_workbook(catalog, centre, period, seed)))
    return written


def write_corrected(catalog: Catalog, inbox: Path, centre: str, period: str, seed: int = 7) -> Path:
    """Drop the corrected resubmission of one file into `inbox/<CENTRE>/` under a "corrected" name."""
    name = content.CORRECTED_FILE_NAMES[centre_language(catalog, centre)].format(centre=centre, period=period)
    return drop_file(inbox / centre / name, corrected_resubmission(catalog, centre, period, seed))


def drop_file(target: Path, data: bytes) -> Path:
    """Write the bytes next to `target` and rename into place, so a sweep never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # "~$" is Excel's lock-file prefix, which the inbox sweep ignores.
    handle, temporary = tempfile.mkstemp(prefix="~$", suffix=".part", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(temporary, 0o644)  # mkstemp creates 0600; other users of the inbox must read the file
    os.replace(temporary, target)
    return target
