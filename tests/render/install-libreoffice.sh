#!/usr/bin/env bash
# Install the tools tests/test_render.py needs: LibreOffice Calc without a GUI (soffice) and poppler
# (pdftoppm, pdftotext, pdfinfo), from Debian's own packages, the only outside source CI can reach.
# Idempotent: when all four tools are already on PATH it does nothing, so `make test` pays the
# install once per machine. Run as root (CI) or through sudo (a developer's machine).
set -euo pipefail

if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
    && command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1; then
  exit 0
fi

# Root needs no sudo; anyone else does, and a clear message beats apt's permission error.
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-libreoffice.sh: not root and no sudo; install libreoffice-calc-nogui poppler-utils" \
    "fonts-dejavu-core by hand" >&2
  exit 1
fi

echo "install-libreoffice.sh: installing LibreOffice Calc (no GUI) and poppler-utils for the render test" >&2
"${SUDO[@]}" apt-get update -qq
# --no-install-recommends keeps the install small (no Java, no GUI toolkits); with it apt resolves
# libreoffice-calc-nogui's "core-nogui | core" dependency to the headless core. DejaVu gives
# LibreOffice a font with Latin and Cyrillic glyphs, so pages are not rendered blank.
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  libreoffice-calc-nogui poppler-utils fonts-dejavu-core >/dev/null
for tool in soffice pdftoppm pdftotext pdfinfo; do
  command -v "$tool" >/dev/null || { echo "install-libreoffice.sh: $tool still missing" >&2; exit 1; }
done
