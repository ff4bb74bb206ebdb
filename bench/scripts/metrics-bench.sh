#!/usr/bin/env bash
# One scrape of a SERVICES x 4 table: the CPU time (user + sys) jipvs serve spends on /metrics
# against node_exporter's with only its ipvs collector, side by side on one kernel. Both serve the
# same table in one namespace; SCRAPES scrapes each, alternating in ROUNDS, each process's CPU read
# from /proc/PID/stat (all threads) around its scrapes. serve has no checks here, so what it
# spends is the scrapes'; jipvs exports 9 series per real server and 5 per service where
# node_exporter exports 3 per real server.
#   metrics-bench.sh JIPVS OUT_MD [SERVICES] [SCRAPES] [ROUNDS]
set -euo pipefail
jipvs=$1 out=$2 services=${3:-2000} scrapes=${4:-20} rounds=${5:-3}
ns=jb-met-$$
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del $ns 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add $ns
ip -n $ns link set lo up

exporter=$(command -v prometheus-node-exporter || echo /usr/bin/prometheus-node-exporter)
[ -x "$exporter" ] || { echo "metrics-bench: prometheus-node-exporter is missing" >&2; exit 2; }

# The same table for both: serve applies it from a file, node_exporter reads the kernel's.
{
  echo "repairInterval: 1h"
  echo "services:"
  for ((s = 0; s < services; s++)); do
    vip="10.9.$((s / 250)).$((s % 250 + 1))"
    echo "  - { name: s$s, protocol: tcp, address: $vip, port: 80, scheduler: wrr, forwarding: nat, realServers: ["
    for d in 1 2 3 4; do
      echo "      { address: 10.10.$((s % 250)).$d, port: 8080, weight: $d },"
    done
    echo "    ] }"
  done
} > "$work/table.yaml"

ip netns exec $ns "$jipvs" serve -f "$work/table.yaml" --state-dir "$work/state" --no-command-socket --api-socket none \
  --listen 127.0.0.1:9470 > "$work/serve.log" 2>&1 &
serve=$!; pids+=($serve)
ip netns exec $ns "$exporter" --collector.disable-defaults --collector.ipvs --web.listen-address=127.0.0.1:9100 \
  > "$work/exporter.log" 2>&1 &
exporter_pid=$!; pids+=($exporter_pid)

ready() { ip netns exec $ns curl -sf -o /dev/null "$1"; }
for _ in $(seq 1 600); do
  ready http://127.0.0.1:9470/metrics && ready http://127.0.0.1:9100/metrics && break
  sleep 0.5
done
ready http://127.0.0.1:9470/metrics || { echo "metrics-bench: serve did not answer:" >&2; cat "$work/serve.log" >&2; exit 1; }
ready http://127.0.0.1:9100/metrics || { echo "metrics-bench: node_exporter did not answer:" >&2; cat "$work/exporter.log" >&2; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# Warm-up: the JIT compiles the scrape path (C1, then C2 for what stays hot); node_exporter has
# nothing to warm.
for _ in $(seq 1 20); do ip netns exec $ns curl -sf -o /dev/null http://127.0.0.1:9470/metrics; done
ip netns exec $ns curl -sf http://127.0.0.1:9470/metrics > "$work/serve.prom"
ip netns exec $ns curl -sf http://127.0.0.1:9100/metrics > "$work/exporter.prom"
serve_series=$(grep -c '^jipvs_' "$work/serve.prom")
exporter_series=$(grep -c '^node_ipvs_' "$work/exporter.prom")
serve_bytes=$(wc -c < "$work/serve.prom")
exporter_bytes=$(wc -c < "$work/exporter.prom")

scrape_round() { # pid url -> CPU ticks for SCRAPES scrapes
  local before after
  before=$(ticks "$1")
  for _ in $(seq 1 "$scrapes"); do ip netns exec $ns curl -sf -o /dev/null "$2"; done
  after=$(ticks "$1")
  echo $((after - before))
}
serve_total=0 exporter_total=0 rows=""
for r in $(seq 1 "$rounds"); do
  e=$(scrape_round "$exporter_pid" http://127.0.0.1:9100/metrics)
  s=$(scrape_round "$serve" http://127.0.0.1:9470/metrics)
  serve_total=$((serve_total + s)); exporter_total=$((exporter_total + e))
  rows+="| $r | $(awk -v t="$e" -v n="$scrapes" -v hz="$hz" 'BEGIN {printf "%.1f", t * 1000 / hz / n}') | $(awk -v t="$s" -v n="$scrapes" -v hz="$hz" 'BEGIN {printf "%.1f", t * 1000 / hz / n}') |"$'\n'
done
rss=$(awk '/VmRSS/ {print $2}' /proc/$serve/status)
exporter_rss=$(awk '/VmRSS/ {print $2}' /proc/$exporter_pid/status)
per() { awk -v t="$1" -v n="$((scrapes * rounds))" -v hz="$hz" 'BEGIN {printf "%.1f", t * 1000 / hz / n}'; }
ratio=$(awk -v s="$serve_total" -v e="$exporter_total" 'BEGIN {if (e == 0) print "n/a"; else printf "%.2f", s / e}')
{
  echo "One scrape of $services services x 4 real servers, $scrapes scrapes x $rounds alternating rounds each;"
  echo "CPU time (user + sys, all threads) per scrape, ms. serve: \`jipvs serve\` with no checks (its CPU is"
  echo "the scrapes'); node_exporter: \`--collector.disable-defaults --collector.ipvs\`."
  echo
  echo "| round | node_exporter | jipvs serve |"
  echo "| --- | --- | --- |"
  printf '%s' "$rows"
  echo "| **all** | **$(per "$exporter_total")** | **$(per "$serve_total")** |"
  echo
  echo "jipvs / node_exporter CPU per scrape: **$ratio**. Series: jipvs $serve_series (per service and per real"
  echo "server counters, connections and weight), node_exporter $exporter_series (per real server connections"
  echo "and weight, and the totals); exposition $((serve_bytes / 1024)) KiB vs $((exporter_bytes / 1024)) KiB."
  echo "Resident memory after the scrapes: serve $((rss / 1024)) MiB, node_exporter $((exporter_rss / 1024)) MiB."
} > "$out"
cat "$out"
