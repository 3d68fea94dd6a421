#!/usr/bin/env bash
# Compaction benchmark (see docs/benchmarks.md, "Compaction"). Builds the bench module and what it depends on
# (package only: nothing is installed into ~/.m2), then runs dev.floe.bench.CompactionBench. Arguments:
#   bench/run-compaction.sh format=iceberg rows=200000 files=2000 updated=0.2 updateCommits=10
#   SKIP_BUILD=1 bench/run-compaction.sh format=delta
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -o -pl bench -am -DskipTests package
fi
exec java -Xmx2g ${BENCH_JVM_OPTS:-} -cp "bench/target/floe-bench.jar:bench/target/lib/*" \
  dev.floe.bench.CompactionBench "$@"
