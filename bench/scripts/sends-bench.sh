#!/usr/bin/env bash
# How many send calls a small change costs on a large table: jipvs apply of a file that differs
# from the kernel in 1 % of its services, counted by strace (the oracle), in a fresh namespace.
#   sends-bench.sh JIPVS OUT_MD [SERVICES]
# A send call is a change when it carries IPVS requests flagged REQUEST (a batch's last one also
# ACK); dumps (NLM_F_DUMP) are reads and scale with the table (one destination dump per service, as for
# ipvsadm -Ln), so they are counted apart, as are generic-netlink family lookups (nlctrl).
set -euo pipefail
jipvs=$1 out=$2 services=${3:-10000}
dests=4
ns=jipvs-sends-$$
work=$(mktemp -d)
trap 'ip netns del $ns 2>/dev/null || true; rm -rf "$work"' EXIT
ip netns add $ns
ip -n $ns link set lo up
in_ns() { ip netns exec $ns "$@"; }

# The table, and the same table with every 100th service's scheduler changed (1 %).
rules() { # $1: the scheduler of every 100th service
  for ((i = 0; i < services; i++)); do
    vip=10.$((20 + i / 250)).$((i % 250)).1
    sched=rr; ((i % 100 == 0)) && sched=$1
    echo "-A -t $vip:80 -s $sched"
    for ((d = 0; d < dests; d++)); do
      echo "-a -t $vip:80 -r 172.$((16 + i / 250)).$((i % 250)).$((d + 10)):8080 -m -w $((d + 1))"
    done
  done
}
rules rr > "$work/before"
rules wlc > "$work/after"
in_ns ipvsadm -R < "$work/before"
JIPVS_DAEMON=off in_ns "$jipvs" apply -f "$work/before" > /dev/null   # nothing to change: adopts the table

count() { # "changes reads lookups" of one strace log, by the first message's genl command
  awk '/sendto\(|sendmsg\(/ && /nlmsg_type=/ {
         if (/nlmsg_type=(nlctrl|0x10 )/) { l++; next }   # older strace does not name nlctrl (0x10)
         # Families strace names (RTM_*, NFNL_*: the route lookup, nft listing jipvs'"'"'s FULLNAT
         # table) are not IPVS; generic-netlink families have numbers.
         if (/nlmsg_type=[A-Z]/ || /nlmsg_type=0x[0-9a-f][0-9a-f][0-9a-f]/) next   # nfnetlink: 0xa10 and up
         cmd = match($0, /\}, "\\x[0-9a-f][0-9a-f]/) ? substr($0, RSTART + 6, 2) : "?"
         # IPVS reads: GET_SERVICE 04, GET_DEST 08, GET_DAEMON 0b, GET_CONFIG 0d, GET_INFO 0f
         if (cmd == "04" || cmd == "08" || cmd == "0b" || cmd == "0d" || cmd == "0f") d++
         else { c++; t = $0; sub(/.*nlmsg_type=/, "", t); sub(/,.*/, "", t); types[t " cmd " cmd]++ } }
       END { printf "%d %d %d\n", c, d, l; for (k in types) printf "%s x%d; ", k, types[k] > "/dev/stderr" }' "$1"
}
strace_apply() { # file -> strace log
  JIPVS_DAEMON=off in_ns strace -f -qq -e trace=sendto,sendmsg -e signal=none -s 32 -o "$work/strace" \
    "$jipvs" apply -f "$1" > "$work/stdout"
}
strace_apply "$work/after"
read -r changes dumps lookups <<<"$(count "$work/strace")"
edited=$(grep -c '^~' "$work/stdout" || true)
strace_apply "$work/after"
read -r again_changes again_dumps _ <<<"$(count "$work/strace")"
in_ns ipvsadm -C; in_ns ipvsadm -R < "$work/after"; in_ns ipvsadm -Sn > "$work/by-ipvsadm"
JIPVS_DAEMON=off in_ns "$jipvs" apply -f "$work/after" > /dev/null; in_ns ipvsadm -Sn > "$work/by-jipvs"
cmp -s "$work/by-ipvsadm" "$work/by-jipvs" || { echo "sends-bench: apply left another table than ipvsadm -R" >&2; exit 1; }
{
  echo "| case | send calls carrying changes | read requests | family lookups |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| apply: 1 % of $services x $dests changed ($edited services edited) | $changes | $dumps | $lookups |"
  echo "| the same apply again (nothing to do) | $again_changes | $again_dumps | - |"
} > "$out"
cat "$out"
