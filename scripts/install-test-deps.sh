#!/usr/bin/env bash
# Debian packages the test suite needs: LibreOffice (what centres' office suites write) and
# Chromium (renders the HTML pack, prints the PDF). Idempotent and quiet; needs root, which CI
# and the developer machines have. Tests that need them skip with a reason if they are absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" != 0 ]; then
  echo "install-test-deps: not root; skipping Debian packages (office and browser tests will skip outside CI)" >&2
  exit 0
fi
bash "$here/install-office.sh"
bash "$here/install-chromium.sh"
