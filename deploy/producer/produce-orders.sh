#!/usr/bin/env bash
# The compose stack's sample producer: about 5 Avro `orders` events per second, framed the Confluent
# way by Confluent's own kafka-avro-console-producer (an independent serializer, not Floe's code).
# Runs in the cp-schema-registry image, which ships that tool.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
registry="${SCHEMA_REGISTRY_URL:-http://schema-registry:8081}"
schema="$(tr -d '\n' < "$(dirname "$0")/orders.avsc")"
statuses=(NEW PAID SHIPPED CANCELLED)
i=0
while true; do
  i=$((i + 1))
  printf '{"order_id":"o-%d","customer_id":%d,"status":"%s","amount":%d.%02d,"order_ts":%d}\n' \
    "$i" $((RANDOM % 1000)) "${statuses[RANDOM % 4]}" $((RANDOM % 500)) $((RANDOM % 100)) \
    "$(date +%s%3N)"
  sleep 0.2
done | kafka-avro-console-producer \
  --bootstrap-server "$bootstrap" --topic orders \
  --property schema.registry.url="$registry" \
  --property value.schema="$schema"
