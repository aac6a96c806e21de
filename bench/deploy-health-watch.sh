#!/usr/bin/env bash
# The standing health watch with 1,000 tracked instances on a zero-delay kube-sandbox: heap the
# watch adds (after GC) and health change -> health-changed event on Kafka, p50/p99 over 100 flips
# (a Service deleted, then created again). Prints MET/MISS against the issue's targets.
# Usage: bench/deploy-health-watch.sh [instances] [flips]   (default 1000 50)
set -euo pipefail
cd "$(dirname "$0")/.."
INSTANCES="${1:-1000}"
FLIPS="${2:-50}"
./mvnw -B -ntp -q -pl deploy-service -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=HealthWatchBenchIT -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
  -Drunnel.bench=true -Drunnel.bench.instances="$INSTANCES" -Drunnel.bench.flips="$FLIPS" 2>&1 \
  | sed -n "/^BENCH health watch/,/latency: health change/p"
