#!/usr/bin/env bash
# Builds the engine and the JMH benchmarks, runs the whole suite and prints one table of every figure
# next to its target (PERFORMANCE.md); the table is also written to coffer-bench/target/bench-table.md.
#
#   bash run-benchmarks.sh            # full suite, about 10 minutes on 2 cores
#   bash run-benchmarks.sh --quick    # 1-2 minute smoke run (figures not to quote)
#   bash run-benchmarks.sh --help     # every option of the runner (io.coffer.bench.RunAll)
#
# Arguments are passed to RunAll. Set SKIP_BUILD=1 to reuse coffer-bench/target/benchmarks.jar, and
# JAVA to choose the java binary.
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  echo "== building (mvn install -DskipTests, then package coffer-bench)" >&2
  mvn -B -ntp -q install -DskipTests
  mvn -B -ntp -q package -DskipTests -pl coffer-bench
fi

echo "== running the benchmarks" >&2
exec "${JAVA:-java}" -cp coffer-bench/target/benchmarks.jar io.coffer.bench.RunAll "$@"
