#!/usr/bin/env bash
# kube-sandbox at scale: registers nodes, then creates pods through the API (fabric8 client, the
# controllers running) and, at each milestone, measures list latency (all nodes, all pods, one
# namespace), watch latency (create -> ADDED) and the heap after a full GC.
#
#   bench/sandbox-scale.sh                                # 5,000 nodes, 150,000 pods, 20 min budget
#   bench/sandbox-scale.sh --nodes 500 --pods 10000 --budget 5m
#
# Options: --nodes N, --pods N, --pods-per-namespace N (1,000), --threads N (creating threads, 4),
# --budget 20m (stops creating when spent and reports how far it got), --milestones 1000,5000,...
# Extra JVM options through SANDBOX_BENCH_JAVA_OPTS (default -Xmx6g); JFR with
# SANDBOX_BENCH_JAVA_OPTS="-Xmx6g -XX:StartFlightRecording=filename=bench/target/sandbox.jfr".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bench/lib.sh

bench_build
classpath="$(bench_classpath bench/target/sandbox-lib)"

# shellcheck disable=SC2086
exec java ${SANDBOX_BENCH_JAVA_OPTS:--Xmx6g} -Dlogback.configurationFile=bench-driver-logback.xml \
  -cp "$classpath" dev.runnel.bench.sandbox.SandboxScaleBenchmark "$@"
