#!/usr/bin/env bash
# runnel up: seconds until everything is healthy, on an empty data dir (first start, after the
# build) and again on the same data (warm restart), and the total resident memory of the stack.
# The per-part readiness lines of runnel up itself are printed beside it as the yardstick: they
# show which part sets the pace. Usage: bench/runnel-up.sh [--nodes N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nodes=3
if [ "${1:-}" = "--nodes" ]; then nodes="$2"; fi
port="${RUNNEL_BENCH_PORT:-28080}"
base="${RUNNEL_BENCH_BASE_PORT:-28100}"
data="$(mktemp -d /tmp/runnel-up-bench-XXXXXX)"
trap '"$root/runnel" down --data-dir "$data" >/dev/null 2>&1 || true; rm -rf "$data" "$data".*.log' EXIT

echo "building outside the measurement..." >&2
"$root/runnel" --version >/dev/null

# Resident memory (KiB) of the supervisor, all its descendants, and PostgreSQL, which pg_ctl
# detaches from the tree, one line per part: "<KiB> <part>".
stack_rss_by_part() {
  local supervisor=$1
  ps -e -o pid=,ppid=,rss=,args= | awk -v root="$supervisor" -v pgdata="$data/postgres" '
    { pid[NR]=$1; ppid[NR]=$2; rss[NR]=$3; args[NR]=$0; n=NR }
    END {
      inside[root]=1; changed=1
      while (changed) { changed=0
        for (i=1;i<=n;i++) if (!(pid[i] in inside) && (ppid[i] in inside)) { inside[pid[i]]=1; changed=1 } }
      for (i=1;i<=n;i++) {
        if (!((pid[i] in inside) || index(args[i], pgdata))) continue
        a=args[i]; part="other"; exe=a; sub(/^ *[0-9]+ +[0-9]+ +[0-9]+ +/, "", exe); sub(/ .*/, "", exe)
        if (pid[i]==root) part="runnel (supervisor)"
        else if (exe ~ /postgres/) part="postgresql"
        else if (match(a, /[a-z-]+\/target\/runnel-up-image/)) { part=substr(a, RSTART, RLENGTH); sub(/\/target.*/, "", part) }
        else if (a ~ /SandboxProcessMain/) part="kube-sandbox"
        else if (a ~ /keycloak/) part="keycloak"
        else if (a ~ /kafka/) part="kafka"
        sum[part]+=rss[i] }
      for (p in sum) printf "%d %s\n", sum[p], p }'
}

stack_rss_kb() {
  stack_rss_by_part "$1" | awk '{ total += $1 } END { print total + 0 }'
}

# The same by part (MiB), largest first, to show where it goes.
stack_rss_parts() {
  stack_rss_by_part "$1" | sort -rn |
    awk '{ n=$1; $1=""; printf "%s%s %d MiB", (NR>1?",":"    RSS by part:"), $0, n/1024 } END { print "" }'
}

measure() {
  local label=$1 log="$data.$1.log" started ended pid
  started=$(date +%s.%N)
  "$root/runnel" up --data-dir "$data" --port "$port" --base-port "$base" --nodes "$nodes" >"$log" 2>&1 &
  pid=$!
  until grep -q '^Runnel is up' "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; echo "runnel up failed" >&2; exit 1; fi
    sleep 0.2
  done
  ended=$(date +%s.%N)
  # ./runnel ends in exec, so $pid is the supervisor JVM itself.
  local rss
  rss=$(stack_rss_kb "$pid")
  printf '%-26s %7.1f s   total RSS %5.2f GiB\n' "$label" "$(echo "$ended - $started" | bc)" \
    "$(echo "scale=2; $rss / 1048576" | bc)"
  stack_rss_parts "$pid"
  grep -E 'ready' "$log" | sed 's/^/    /'
  # A first start writes the class-data archives for the next one in the background; a user's
  # platform runs long enough for that, so the warm restart is measured after it.
  if grep -q 'class-data archives: writing' "$log"; then
    local waited=0
    until grep -q 'class-data archives: .* of .* written\|class-data archives: not written' "$log"; do
      if [ "$waited" -ge 600 ]; then echo "    class-data archives: not done after 300 s" >&2; break; fi
      sleep 0.5; waited=$((waited + 1))
    done
    grep 'class-data archives' "$log" | sed 's/^/    /'
    printf '    total RSS once the archives are written (no dump JVM): %5.2f GiB\n' \
      "$(echo "scale=2; $(stack_rss_kb "$pid") / 1048576" | bc)"
  fi
  "$root/runnel" down --data-dir "$data" >/dev/null
  wait "$pid" || true
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1)"
echo "date: $(date -u +%F), nodes: $nodes"
# A first start after a build has no class-data archives: earlier runs' images are removed.
rm -rf "$root"/*/target/runnel-up-image
measure "first start (empty data)"
measure "warm restart"
