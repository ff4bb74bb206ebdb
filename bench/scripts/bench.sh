#!/usr/bin/env bash
# make bench: the codec's user-space cost (JMH, on this host) and the table benchmark against
# ipvsadm on a kernel with IPVS (this host in a fresh namespace if it has IPVS and root, else the
# lab). Writes bench/target/results.md; bench/RESULTS.md is the recorded copy the README links to.
#   JIPVS_BENCH_SERVICES (default 2000), JIPVS_BENCH_ROUNDS (default 6),
#   JIPVS_BENCH_SENDS_SERVICES (default 10000: the table of the send count),
#   JIPVS_BENCH_CHECKS (default 2000: real servers checked by keepalived and jipvs serve),
#   JIPVS_BENCH_CHECK_WINDOW (default 60: seconds of CPU measured for each)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
target=bench/target
services=${JIPVS_BENCH_SERVICES:-2000}
rounds=${JIPVS_BENCH_ROUNDS:-6}
jipvs=$root/cli/target/jipvs
[ -x "$jipvs" ] || { echo "bench: $jipvs is missing; run make build first" >&2; exit 2; }
mkdir -p "$target/lab"

echo "bench: codec (JMH)"
java -cp "$target/classes:$(cat "$target/bench-classpath.txt")" org.openjdk.jmh.Main \
  -wi 3 -i 5 -w 1 -r 1 -f 1 -rf text -rff "$target/jmh.txt" CodecBenchmark >/dev/null
echo "bench: table of $services services x 4 real servers, $rounds rounds"
if it-tests/lab/lab.sh host-ipvs; then
  where="this host (fresh network namespace)"
else
  where="the kernel lab (QEMU, software emulation: absolute times are several times a real machine's)"
fi
sends_services=${JIPVS_BENCH_SENDS_SERVICES:-10000}
checks=${JIPVS_BENCH_CHECKS:-2000}
check_window=${JIPVS_BENCH_CHECK_WINDOW:-30}
# One lab boot for all: the table benchmark, the send count of a 1 % change, serve vs keepalived.
it-tests/lab/lab.sh auto --results "$target/lab" -- bash -c \
  'bash bench/scripts/table-bench.sh "$1" "$2/table.md" "$3" "$4" && bash bench/scripts/sends-bench.sh "$1" "$2/sends.md" "$5" \
     && bash bench/scripts/serve-bench.sh "$1" "$2/serve.md" "$6" "$7" && bash bench/scripts/metrics-bench.sh "$1" "$2/metrics.md" "$3"' \
  sh "$jipvs" "$target/lab" "$services" "$rounds" "$sends_services" "$checks" "$check_window"
{
  echo "# jipvs benchmarks"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`make bench\` on $(nproc) cores; kernel: $where."
  echo
  echo "## ipvsadm vs jipvs, CPU time (user + sys) of the process"
  echo
  cat "$target/lab/table.md"
  echo
  echo "## Send calls of a small change (strace)"
  echo
  cat "$target/lab/sends.md"
  echo
  echo "## Health checks: jipvs serve vs keepalived's checker"
  echo
  cat "$target/lab/serve.md"
  echo
  echo "## Metrics: one scrape of serve's /metrics vs node_exporter's ipvs collector"
  echo
  cat "$target/lab/metrics.md"
  echo
  echo "## Codec (JMH, ns per operation, this host)"
  echo
  echo '```'
  cat "$target/jmh.txt"
  echo '```'
} > "$target/results.md"
echo "bench: wrote $target/results.md"
