#!/usr/bin/env bash
# End-to-end benchmark of Floe (see docs/benchmarks.md). Builds the app and the harness, then runs the harness:
# a KRaft broker + schema registry in the harness JVM, all records produced first, Floe as a child JVM.
#
#   bench/run-e2e.sh                                   # defaults: 1,000,000 records, 4 partitions, 1 worker, 1g heap
#   bench/run-e2e.sh --workers 2 --commit-max-records 100000
#   bench/run-e2e.sh --records 200000 --compression lz4 --keep
#   FLOE_JFR=1 bench/run-e2e.sh                        # also record a JFR profile of the Floe JVM
#   SKIP_BUILD=1 bench/run-e2e.sh ...                  # reuse the jars already built
#
# Harness options (all optional): --records N --partitions N --workers N --commit-interval 30s
#   --commit-max-records N --heap 1g --compression none|lz4|zstd --partition-by 'bucket[8](user_id)'
#   --target-file-size 128MB --floe-jvm-opts '...' --dir DIR --timeout S --keep --label TEXT --results FILE
#   --formats iceberg|delta|iceberg,delta --mode append|upsert --keys N
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -pl bench -am -DskipTests install
fi

extra=()
if [[ "${FLOE_JFR:-0}" == 1 ]]; then
  mkdir -p bench/target/jfr
  jfr_file="$root/bench/target/jfr/floe-$(date +%Y%m%d-%H%M%S).jfr"
  extra=(--floe-jvm-opts "-XX:StartFlightRecording=settings=profile,filename=$jfr_file,dumponexit=true ${FLOE_JVM_OPTS:-}")
  echo "JFR recording of the Floe JVM: $jfr_file"
elif [[ -n "${FLOE_JVM_OPTS:-}" ]]; then
  extra=(--floe-jvm-opts "$FLOE_JVM_OPTS")
fi

# The harness JVM holds the broker, the registry and the producer; Floe's figures come from its own process.
exec java -Xmx3g -Dlogback.configurationFile=bench-logback.xml ${BENCH_JVM_OPTS:-} -cp "bench/target/floe-bench.jar:bench/target/lib/*" \
  dev.floe.bench.EndToEndBench --app-jar app/target/floe-app.jar --results bench/target/e2e-results.jsonl \
  "${extra[@]}" "$@"
