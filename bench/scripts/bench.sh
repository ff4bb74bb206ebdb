#!/usr/bin/env bash
# make bench: the codec's user-space cost (JMH, on this host) and the table benchmark against
# ipvsadm on a kernel with IPVS (this host in a fresh namespace if it has IPVS and root, else the
# lab). Writes bench/target/results.md; bench/RESULTS.md is the recorded copy the README links to.
#   JIPVS_BENCH_SERVICES (default 2000), JIPVS_BENCH_ROUNDS (default 6),
#   JIPVS_BENCH_SENDS_SERVICES (default 10000: the table of the send count)
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
# One lab boot for both: the table benchmark, then the send count of a 1 % change.
it-tests/lab/lab.sh auto --results "$target/lab" -- bash -c \
  'bash bench/scripts/table-bench.sh "$1" "$2/table.md" "$3" "$4" && bash bench/scripts/sends-bench.sh "$1" "$2/sends.md" "$5"' \
  sh "$jipvs" "$target/lab" "$services" "$rounds" "$sends_services"
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
  echo "## Codec (JMH, ns per operation, this host)"
  echo
  echo '```'
  cat "$target/jmh.txt"
  echo '```'
} > "$target/results.md"
echo "bench: wrote $target/results.md"
