#!/usr/bin/env bash
# Installs what internal/conformance needs, only what is missing:
# Chromium, a Java runtime and poppler-utils (pdftotext, for the PDF
# tests) from Debian (apt-get), and the pinned npm
# packages axe-core and vnu-jar (npm ci from package-lock.json into
# tools/conformance/node_modules). Safe to run again: it does nothing
# when everything is in place and the lock file has not changed.
set -euo pipefail
cd "$(dirname "$0")"

sudo=
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then
  sudo=sudo
fi

missing=()
chromium=${FOLIO_CHROMIUM:-/usr/bin/chromium}
if ! command -v "$chromium" >/dev/null; then
  missing+=(chromium)
fi
command -v java >/dev/null || missing+=(default-jre-headless)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm ci when node_modules is missing or was installed from another lock
# file. --ignore-scripts: vnu-jar's install script would download a Java
# runtime from GitHub; the tests use the system's java.
stamp=node_modules/.folio-package-lock
if ! cmp -s package-lock.json "$stamp"; then
  echo "npm ci (tools/conformance)"
  npm ci --ignore-scripts --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
