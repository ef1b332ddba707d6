#!/usr/bin/env bash
# Benchmarks (not part of the test run). Prints figures:
#   bench/run.sh                  quick stopwatch figures for every codec/transport benchmark (ops/s, B/op, MB/s)
#   bench/run.sh --seconds 10     longer runs per benchmark
#   bench/run.sh --bdn [ARGS...]  full BenchmarkDotNet runs instead (e.g. --bdn --filter '*Sip*' --job short)
#   bench/run.sh --e2e            also the end-to-end SIPp load (bench/run-e2e.sh) after the quick figures
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
seconds=3; e2e=0
if [[ ${1:-} == --bdn ]]; then
  shift
  exec dotnet run -c Release --project bench/Cpm.Interwork.Benchmarks -- "$@"
fi
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --e2e) e2e=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
dotnet build bench/Cpm.Interwork.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
echo "== codec and transport figures (targets: SIP parse >= 1,000,000/s with no per-header allocation;"
echo "   MIME parse >= 300 MB/s; SMTP loopback >= 5,000 messages/s)"
dotnet bench/Cpm.Interwork.Benchmarks/bin/Release/net10.0/Cpm.Interwork.Benchmarks.dll --figures "$seconds"
if ((e2e)) && [[ -x bench/run-e2e.sh ]]; then
  echo
  echo "== end to end"
  bench/run-e2e.sh
fi
