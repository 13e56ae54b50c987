"""Deterministic, realistic sample submissions for demos and tests (pure functions, no Prefect)."""

from tasks.samples.files import (
    corrected_resubmission,
    drop_file,
    sample_filename,
    sample_workbook,
    submission_rows,
    write_corrected,
    write_samples,
)
from tasks.samples.generator import generate_rows, sample_meta
from tasks.samples.mistakes import SAMPLE_MISTAKES, SAMPLE_QUIRKS, apply_mistakes, apply_quirks, mistakes_for
from tasks.samples.portfolio import centre_language

__all__ = [
    "SAMPLE_MISTAKES",
    "SAMPLE_QUIRKS",
    "apply_mistakes",
    "apply_quirks",
    "centre_language",
    "corrected_resubmission",
    "drop_file",
    "generate_rows",
    "mistakes_for",
    "sample_filename",
    "sample_meta",
    "sample_workbook",
    "submission_rows",
    "write_corrected",
    "write_samples",
]
