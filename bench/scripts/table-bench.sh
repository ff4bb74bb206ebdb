#!/usr/bin/env bash
# The table benchmark: ipvsadm against jipvs on one large table, as CPU time (user + sys) of the
# process, in a fresh network namespace of a kernel with IPVS (the lab's, or the host's).
#   table-bench.sh JIPVS OUT_MD [SERVICES] [ROUNDS]
# Rounds alternate A B B A so drift (caches, the estimator, other load) hits both tools alike.
# Sys time is the kernel's share: the floor no user-space tool can go below.
set -euo pipefail
jipvs=$1 out=$2 services=${3:-2000} rounds=${4:-4}
dests=4
ns=jipvs-bench-$$
work=$(mktemp -d)
trap 'ip netns del $ns 2>/dev/null || true; rm -rf "$work"' EXIT
ip netns add $ns
ip -n $ns link set lo up
in_ns() { ip netns exec $ns "$@"; }

# The input: N services x 4 real servers, TCP and UDP, a mix of schedulers and methods.
rules=$work/rules
for ((i = 0; i < services; i++)); do
  vip=10.$((20 + i / 250)).$((i % 250)).1
  if ((i % 2)); then opt=-u; else opt=-t; fi
  sched=rr; ((i % 5 == 0)) && sched=wrr
  echo "-A $opt $vip:80 -s $sched"
  for ((d = 0; d < dests; d++)); do
    echo "-a $opt $vip:80 -r 172.$((16 + i / 250)).$((i % 250)).$((d + 10)):8080 -m -w $((d + 1))"
  done
done > "$rules"

# CPU seconds "user sys" of one command, its stdout to $work/stdout.
cpu() {
  local stdin=$1; shift
  in_ns /usr/bin/time -f '%U %S' -o "$work/time" "$@" < "$stdin" > "$work/stdout" 2> "$work/stderr" \
    || { echo "failed: $* ($(cat "$work/stderr"))" >&2; exit 1; }
  cat "$work/time"
}

declare -A user sys
record() { # tool case "user sys"
  local u s; read -r u s <<<"$3"
  user[$1,$2]+="$u " sys[$1,$2]+="$s "
}

run_case() { # tool case
  local tool=$1 case=$2 bin
  if [ "$tool" = ipvsadm ]; then bin=ipvsadm; else bin=$jipvs; fi
  case $case in
    restore) in_ns ipvsadm -C; record "$tool" "$case" "$(cpu "$rules" "$bin" -R)" ;;
    list)    record "$tool" "$case" "$(cpu /dev/null "$bin" -Ln)" ;;
    save)    record "$tool" "$case" "$(cpu /dev/null "$bin" -Sn)" ;;
    empty)   in_ns ipvsadm -C; record "$tool" "$case" "$(cpu /dev/null "$bin" -Ln)"; in_ns ipvsadm -R < "$rules" ;;
  esac
}

# Both tools must leave exactly the same table.
in_ns ipvsadm -C; in_ns ipvsadm -R < "$rules"; in_ns ipvsadm -Sn > "$work/by-ipvsadm"
in_ns ipvsadm -C; in_ns "$jipvs" -R < "$rules"; in_ns ipvsadm -Sn > "$work/by-jipvs"
if ! cmp -s "$work/by-ipvsadm" "$work/by-jipvs"; then
  echo "jipvs -R and ipvsadm -R left different tables:" >&2
  diff "$work/by-ipvsadm" "$work/by-jipvs" | head -20 >&2
  exit 1
fi
same_state="identical ($(wc -l < "$work/by-jipvs") lines of ipvsadm -Sn)"

for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then order="ipvsadm jipvs"; else order="jipvs ipvsadm"; fi
  for c in restore list save empty; do
    for t in $order; do run_case "$t" "$c"; done
  done
  # The floor under every jipvs figure: the JVM alone, with the launcher's flags, doing nothing.
  record jvm floor "$(cpu /dev/null java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -version)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
{
  echo "| case | ipvsadm user | ipvsadm sys | ipvsadm total | jipvs user | jipvs sys | jipvs total | jipvs / ipvsadm |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for c in restore list save empty; do
    iu=$(median <<<"${user[ipvsadm,$c]}") is=$(median <<<"${sys[ipvsadm,$c]}")
    ju=$(median <<<"${user[jipvs,$c]}") js=$(median <<<"${sys[jipvs,$c]}")
    it=$(awk -v a="$iu" -v b="$is" 'BEGIN {printf "%.2f", a + b}')
    jt=$(awk -v a="$ju" -v b="$js" 'BEGIN {printf "%.2f", a + b}')
    ratio=$(awk -v j="$jt" -v i="$it" 'BEGIN {if (i > 0) printf "%.2f", j / i; else print "n/a"}')
    label=$c
    case $c in
      restore) label="-R of $services x $dests" ;;
      list) label="-Ln of $services x $dests" ;;
      save) label="-Sn of $services x $dests" ;;
      empty) label="-Ln, empty table" ;;
    esac
    echo "| $label | $iu | $is | $it | $ju | $js | $jt | $ratio |"
  done
  echo
  echo "CPU seconds, medians of $rounds alternating rounds (A B B A ...). Final state after -R: $same_state."
  fu=$(median <<<"${user[jvm,floor]}") fs=$(median <<<"${sys[jvm,floor]}")
  echo
  echo "The JVM's own floor, \`java -version\` with the launcher's flags: $fu user + $fs sys =" \
    "$(awk -v a="$fu" -v b="$fs" 'BEGIN {printf "%.2f", a + b}') s CPU (median)."
} > "$out"
cat "$out"
