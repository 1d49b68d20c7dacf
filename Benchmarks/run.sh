#!/usr/bin/env bash
# amqtop benchmarks, one command:  bash Benchmarks/run.sh [--quick] [--only bandwidth,detection,startup,scale]
# Builds amqtop in release mode into .build-bench (gitignored), then runs Benchmarks/bench.py,
# which prints a table and writes Benchmarks/results/run-<time>.{json,md}.
# Not part of `swift test`. Needs python3, tmux, watch (procps), curl; the scale step's floor
# needs wrk (Debian: apt-get install wrk) and is reported as skipped without it.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in python3 tmux watch curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done
command -v wrk >/dev/null || echo "run.sh: wrk not found (apt-get install wrk): the scale step measures no floor" >&2
if [ -z "${AMQTOP_BENCH_BIN:-}" ]; then
  echo "run.sh: swift build -c release --scratch-path .build-bench --product amqtop" >&2
  swift build -c release --scratch-path .build-bench --product amqtop >&2
  AMQTOP_BENCH_BIN="$(swift build -c release --scratch-path .build-bench --show-bin-path)/amqtop"
fi
exec python3 Benchmarks/bench.py --bin "$AMQTOP_BENCH_BIN" "$@"
