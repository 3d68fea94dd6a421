#!/usr/bin/env bash
# Runs deploy/floe.yaml against an emulation of the compose stack, without Docker (StackCheck.java):
# produces for 40 s, lets Floe commit, stops it with SIGTERM, then reads sales.orders back through the
# REST catalog and compares the row count with the orders in the topic. Needs a prior build
# (mvn -o -q package -pl app -am -DskipTests) and the table-sinks test class path (Jetty, Iceberg's
# REST servlet). Not part of CI; docs/deploy.md reports its last result.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
echo "work dir: $work"
mvn -o -q -B -f "$repo/pom.xml" dependency:build-classpath -pl table-sinks -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/test-cp.txt" >/dev/null
extra="$(tr ':' '\n' < "$work/test-cp.txt" | grep -E 'jetty|jakarta|iceberg-core-.*-tests' | paste -sd:)"
cp="$repo/app/target/floe-app.jar:$repo/app/target/lib/*:$extra"
mkdir -p "$work/warehouse"
java -Xmx512m -cp "$cp" "$repo/deploy/check/StackCheck.java" "$work" > "$work/stack.log" 2>&1 &
stack=$!
until [ -f "$work/env.sh" ]; do sleep 1; kill -0 "$stack"; done
sleep 1
# shellcheck disable=SC1091
. "$work/env.sh"
# deploy/floe.yaml as mounted in compose; only the warehouse (Floe's own state) moves into the work dir
sed "s#^warehouse: .*#warehouse: $work/floe-data#" "$repo/deploy/floe.yaml" > "$work/floe.yaml"
java -Xmx512m -jar "$repo/app/target/floe-app.jar" run --config "$work/floe.yaml" > "$work/floe.log" 2>&1 &
floe=$!
sleep 40
touch "$work/stop-producer"
until [ -f "$work/produced" ]; do sleep 1; done
sleep 15  # more than the 10 s commit interval
kill -TERM "$floe"
wait "$floe" || true
touch "$work/read"
wait "$stack" || true
grep -E '^(PRODUCED|ORDERS_IN_TOPIC|LOCATION|SNAPSHOTS|ROWS|OK|MISMATCH)' "$work/stack.log"
echo "Floe commit retries: $(grep -c CommitFailedException "$work/floe.log" || true)"
