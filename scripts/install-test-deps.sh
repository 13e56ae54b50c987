#!/usr/bin/env bash
# System packages the test suite needs (none yet beyond Python; LibreOffice and Chromium
# arrive with the office-suite and pack-rendering tests). Idempotent and quiet.
set -euo pipefail
exit 0
