"""The centre report template: an xlsx workbook generated from `schemas/` (pure functions, no Prefect)."""

from tasks.template.workbook import build_workbook, identity, write_template

__all__ = ["build_workbook", "identity", "write_template"]
