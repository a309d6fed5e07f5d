#!/usr/bin/env bash
# Remakes cmd/folio/default.pgo, the CPU profile from which the Go
# compiler optimises folio (profile-guided optimisation; go build uses a
# main package's default.pgo by itself). The profile is of the work the
# benchmark harness times: single builds of its generated sites (1,000
# briefs, with and without charts, and 5,000), each in a fresh process
# as folio build runs, and folio serve's rebuilds after edits.
#
# Rerun it when the code on the hot paths has changed much; a stale
# profile costs only the optimisation it no longer guides.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go run ./bench -sites "$work/sites"
go test -c -o "$work/site.test" ./internal/site
profiles=()
for site in n1000/folio n1000/folio-charts n5000/folio; do
  out="$work/prof/$site"
  mkdir -p "$out"
  (cd internal/site && FOLIO_PROFILE="$work/sites/$site" FOLIO_PROFILE_OUT="$out" "$work/site.test" -test.run '^TestProfileBuild$' -test.count 1)
  profiles+=("$out/cpu.pprof")
done
(cd internal/site && "$work/site.test" -test.run '^$' -test.bench 'Rebuild(BodyEdit|FrontEdit)$' -test.benchtime 30x -test.cpuprofile "$work/serve.pprof")
profiles+=("$work/serve.pprof")
go tool pprof -proto "${profiles[@]}" > cmd/folio/default.pgo
echo "wrote cmd/folio/default.pgo from ${#profiles[@]} profiles"
