#!/usr/bin/env bash
# The whole Cpm.Interwork test suite, real protocol peers included.
#   tests/run.sh                 install missing peers, build (Release, warnings are errors), run every test
#   tests/run.sh --filter EXPR   pass a dotnet test filter through (e.g. FullyQualifiedName~Dns)
# Prints one closing line "Tests: N passed, N failed, N skipped" and exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1

bash tests/peers/install.sh

echo "build: Release"
dotnet build Cpm.Interwork.sln -c Release -nologo -v quiet -clp:ErrorsOnly

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
set +e
# --blame-hang-timeout: a hung peer or socket must fail the run, not eat the CI budget.
dotnet test Cpm.Interwork.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 300s "$@"
rc=$?
set -e

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [[ -e $trx ]] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); t=${t:-0}
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); e=${e:-0}
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
echo
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( rc != 0 )); then exit "$rc"; fi
if (( files == 0 || passed == 0 )); then echo "no test ran" >&2; exit 1; fi
