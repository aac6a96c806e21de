#!/usr/bin/env bash
# Catalog benchmark: market-service (heap capped at 256 MB) syncs the 33,021-version historic
# Bitnami index over loopback HTTP (cold service), re-syncs it unchanged five times (the server
# answers conditional requests like nginx: 304), syncs it again re-published with one change (warm
# service), and answers mixed searches; in the same run Helm's own repo add and search repo
# (helm-java) on the same index are the yardstick. Prints wall time and CPU-seconds beside Helm's,
# the ratios, the machine's load average, and one MET/MISS line per target. About 3-4 minutes on a
# quiet machine with the defaults.
#
#   bench/catalog.sh [--searches N] [--heap 256m] [--ready-timeout-s 600] [--no-build]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh

args=()
build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ $build == 1 ]]; then
  bench_build bench,market-service
else
  bench_build bench
fi

fixture="${RUNNEL_FIXTURES:-$root/../shared/fixtures}/catalog-index/bitnami-history-index.yaml.gz"
if [[ ! -f "$fixture" ]]; then
  echo "the catalog index fixture is missing: $fixture" >&2
  exit 1
fi
logs="bench/target/catalog-logs"
rm -rf "$logs"
lib="bench/target/catalog-lib"
classpath="$(bench_classpath "$lib")"
cp market-service/target/market-service-0.1.0-SNAPSHOT-exec.jar "$lib/"

exec java -Xmx512m -Dlogback.configurationFile=bench-driver-logback.xml -cp "$classpath" \
  dev.runnel.bench.catalog.CatalogBenchmark \
  --market-jar "$lib/market-service-0.1.0-SNAPSHOT-exec.jar" --index "$fixture" \
  --logs "$logs" ${args[@]+"${args[@]}"}
