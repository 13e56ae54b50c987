"""Tests that need an outside tool (LibreOffice, Chromium, pdftotext, root): skip on a laptop, fail in CI.

CI installs every such tool and runs as root (`CI=true`), so there a missing tool is a broken runner, not
a reason to pass quietly. Elsewhere the test is skipped with the reason shown (`pytest -rs`).
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def unavailable(reason: str) -> None:
    """Stop the running test: a failure in CI, a skip elsewhere."""
    if IN_CI:
        pytest.fail(f"{reason}; CI must provide it", pytrace=False)
    pytest.skip(reason)


def needs(available: bool, reason: str) -> pytest.MarkDecorator:
    """A mark for a test that needs a tool; tests/conftest.py turns it into a skip, or a failure in CI."""
    return pytest.mark.needs(available=available, reason=reason)
