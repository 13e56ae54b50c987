#!/bin/sh
# LibreOffice Calc (headless) for the office round-trip tests in tests/office; idempotent and quiet.
# No recommends: the converter needs neither a desktop nor extra fonts. Needs root (as in CI).
set -eu
# poppler-utils: pdftotext reads back the pages LibreOffice and Chromium print (layout tests).
if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
    apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui poppler-utils >/dev/null
fi
