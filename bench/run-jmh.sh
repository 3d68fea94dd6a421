#!/usr/bin/env bash
# JMH micro-benchmarks of Floe (see docs/benchmarks.md, "Decode + convert (JMH)"). Builds the bench module and
# what it depends on (package only: nothing is installed into ~/.m2), then runs JMH. Arguments go to JMH.
#
#   bench/run-jmh.sh                                # DecodeBench, every format, with and without metadata
#   bench/run-jmh.sh DecodeBench -p format=AVRO -prof gc
#   bench/run-jmh.sh -h                             # JMH's own options
#   SKIP_BUILD=1 bench/run-jmh.sh ...               # reuse the jars already built
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -B -pl bench -am -DskipTests package
fi

args=("$@")
if [[ ${#args[@]} -eq 0 ]]; then
  args=(DecodeBench)
fi
exec java ${BENCH_JVM_OPTS:-} -cp "bench/target/floe-bench.jar:bench/target/lib/*" org.openjdk.jmh.Main "${args[@]}"
