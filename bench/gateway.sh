#!/usr/bin/env bash
# Gateway overhead (issue 2) and the cost of the gateway's token check (issue 4): wrk against
# market-service directly (the yardstick) and through the gateway, in the same run, at 1 and 32
# connections, then at 32 connections through two more gateways from the same jar: "untuned" (token
# cache off, every request traced: the gateway before these were added) and "nocheck" (no token
# check at the gateway; the service still checks). 5 s warm-up + 15 s measured per row, on
# GET /api/market/v1/categories with a bearer token, after a 120 s JIT warm-up. About 6 minutes.
#
#   bench/gateway.sh                 build market-service, gateway and bench, then measure
#   bench/gateway.sh --no-build      build only bench; measure the service jars already in
#                                    market-service/target and gateway/target
#
# Options passed through: --layout split|shared (split)  --no-variants  --connections 1,32
# --duration S  --warmup S  --jit-warmup S (120)  --categories N  --gateway-arg --key=value
# (repeatable, for every gateway)  --jfr (flight recordings in bench/target/gateway-logs).
# Pinning, after a JIT warm-up on both cores: "split" puts the backend (PostgreSQL, the broker,
# market-service, the driver) on CPU 0 and the gateways with wrk on CPU 1, as a deployment gives the
# gateway its own CPU; "shared" (the first version) puts every server on CPU 0 and wrk on CPU 1.
# Needs wrk (Debian package wrk) and taskset (util-linux).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh

if ! command -v wrk > /dev/null; then
  echo "wrk is not installed. On Debian or Ubuntu: apt-get update && apt-get install -y wrk" >&2
  exit 2
fi
if ! command -v taskset > /dev/null; then
  echo "taskset is not installed. On Debian or Ubuntu: apt-get install -y util-linux" >&2
  exit 2
fi
if (( $(nproc) < 2 )); then
  echo "this benchmark pins wrk and the servers to different CPUs and needs at least 2" >&2
  exit 2
fi

build=1
args=()
for arg in "$@"; do
  if [[ "$arg" == "--no-build" ]]; then
    build=0
  else
    args+=("$arg")
  fi
done
if (( build )); then
  bench_build bench,market-service,gateway
else
  bench_build bench
fi

logs="bench/target/gateway-logs"
rm -rf "$logs"
lib="bench/target/gateway-lib"
classpath="$(bench_classpath "$lib")"
# Private copies for the same reason as the classpath: the tree is rebuilt under running JVMs.
cp market-service/target/market-service-0.1.0-SNAPSHOT-exec.jar gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar "$lib/"

# Unpinned at first so that the services' JIT compilers finish on both cores; the driver then pins
# every process by the layout before the measured runs.
exec java -Xmx512m -Dlogback.configurationFile=bench-driver-logback.xml -cp "$classpath" \
  dev.runnel.bench.gateway.GatewayBenchmark \
  --market-jar "$lib/market-service-0.1.0-SNAPSHOT-exec.jar" \
  --gateway-jar "$lib/gateway-0.1.0-SNAPSHOT-exec.jar" \
  --logs "$logs" ${args[@]+"${args[@]}"}
