#!/usr/bin/env bash
# Login round trip through the gateway's BFF (issue 4): the real Keycloak server distribution,
# market-service and the gateway with browser login on; N logins one after the other, each a new
# browser: /login -> Keycloak's form -> credentials -> the gateway's callback (code + PKCE, session
# cookie) -> /api/session -> the first API call with the session cookie. Prints p50/p95/max of each
# step and of the whole, and Keycloak's CPU per login against its sizing guide's ~15 logins/s per
# vCPU. About 3 to 5 minutes (Keycloak's first start is most of it).
#
#   bench/gateway-login.sh                 build market-service, gateway and bench, then measure
#   bench/gateway-login.sh --no-build      build only bench; use the jars already in */target
#
# Options passed through: --logins N (100)  --warmup-logins N (20).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh

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

version="$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -1)"
dist="${MAVEN_REPO:-$HOME/.m2/repository}/org/keycloak/keycloak-quarkus-dist/$version/keycloak-quarkus-dist-$version.tar.gz"
if [[ ! -f "$dist" ]]; then
  echo "the Keycloak distribution $dist is missing; fetch it with:" >&2
  echo "  ./mvnw -B -ntp dependency:get -Dartifact=org.keycloak:keycloak-quarkus-dist:$version:tar.gz" >&2
  exit 2
fi

logs="bench/target/gateway-login-logs"
rm -rf "$logs"
lib="bench/target/gateway-login-lib"
classpath="$(bench_classpath "$lib")"
cp market-service/target/market-service-0.1.0-SNAPSHOT-exec.jar gateway/target/gateway-0.1.0-SNAPSHOT-exec.jar "$lib/"

exec java -Xmx512m -Dlogback.configurationFile=bench-driver-logback.xml \
  -Drunnel.keycloak.dist="$dist" -Drunnel.keycloak.start-minutes=12 -cp "$classpath" \
  dev.runnel.bench.gateway.LoginBenchmark \
  --market-jar "$lib/market-service-0.1.0-SNAPSHOT-exec.jar" \
  --gateway-jar "$lib/gateway-0.1.0-SNAPSHOT-exec.jar" \
  --logs "$logs" ${args[@]+"${args[@]}"}
