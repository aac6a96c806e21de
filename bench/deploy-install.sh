#!/usr/bin/env bash
# Install -> Healthy for the nginx fixture chart on a zero-delay kube-sandbox: deploy-service's
# own overhead (render, apply, watch to health, bookkeeping). Then wordpress with its subcharts, then
# N nginx installs requested at once. Prints p50/p95/max of each and the machine's load.
# Usage: bench/deploy-install.sh [runs] [wordpress-runs] [parallel]   (default 20 10 200; sequential
# runs come after 3 warm-up installs)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"
WP_RUNS="${2:-10}"
PARALLEL="${3:-200}"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
./mvnw -B -ntp -q -pl deploy-service -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=InstallBenchIT -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
  -Drunnel.bench=true -Drunnel.bench.runs="$RUNS" -Drunnel.bench.wordpress-runs="$WP_RUNS" \
  -Drunnel.bench.parallel="$PARALLEL" 2>&1 | grep -E '^(BENCH|\| |  failed: |\[ERROR\] (Tests|Fail))'
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
