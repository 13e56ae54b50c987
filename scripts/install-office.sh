#!/bin/sh
# LibreOffice Calc (headless) for the office round-trip tests in tests/office; idempotent and quiet.
# No recommends: the converter needs neither a desktop nor extra fonts. Needs root (as in CI).
set -eu
command -v soffice >/dev/null || (apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null)
