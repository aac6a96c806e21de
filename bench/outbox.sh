#!/usr/bin/env bash
# Outbox -> Kafka -> consumer benchmark with the platform kit's own relay and inbox consumer.
#
#   bench/outbox.sh             yardstick, relay alone, consumer alone, end to end as fast as
#                               possible, end to end paced at 5,000 events/s (100,000 events each)
#   bench/outbox.sh --faults    the paced run while the relay is killed with SIGKILL twice and the
#                               broker is restarted once: lost, duplicates, order
#
# Options passed through: --events N, --rate N (paced run), --relay-batch-size N, --subjects N,
# --per-event-handler (the sink writes one statement per event instead of one per poll),
# --runs yardstick,relay,consumer,max,paced (a subset), --jfr (flight recordings of relay and sink
# in bench/target/outbox-logs). Everything runs on loopback: an embedded PostgreSQL, one KRaft
# broker, two service JVMs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh

bench_build
logs="bench/target/outbox-logs"
rm -rf "$logs"
classpath="$(bench_classpath bench/target/outbox-lib)"

# The driver is the parent of PostgreSQL, the broker, the relay and the sink; it stops them all
# when it exits and prints the figures as its last lines.
exec java -Xmx1g -Dlogback.configurationFile=bench-driver-logback.xml -cp "$classpath" \
  dev.runnel.bench.outbox.OutboxBenchmark --logs "$logs" "$@"
