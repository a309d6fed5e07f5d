#!/usr/bin/env bash
# Runs the performance benchmark (bench/main.go): folio build against Hugo
# and the floor on generated sites, and folio serve's edit-to-served
# latency. Without -quick it writes docs/performance.md. Flags go to
# `go run ./bench` (-quick, -rounds, -rounds5k, -edits, -work, -out).
#
# It needs GNU time (/usr/bin/time) and Hugo, and installs them with
# apt-get when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/time ] || need+=(time)
command -v hugo >/dev/null || need+=(hugo)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

exec go run ./bench "$@"
