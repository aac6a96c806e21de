#!/usr/bin/env bash
# Install -> Healthy for the nginx fixture chart on a zero-delay kube-sandbox: deploy-service's
# own overhead (render, apply, watch to health, bookkeeping). Prints p50/p95/max.
# Usage: bench/deploy-install.sh [runs]   (default 20, after 3 warm-up installs)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-20}"
./mvnw -B -ntp -q -pl deploy-service -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=InstallBenchIT -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true \
  -Drunnel.bench=true -Drunnel.bench.runs="$RUNS" 2>&1 | sed -n "/^BENCH/,/^| [0-9]/p"
