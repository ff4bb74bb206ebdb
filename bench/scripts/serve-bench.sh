#!/usr/bin/env bash
# jipvs serve against keepalived's checker, side by side on one kernel: the same keepalived.conf
# (SERVICES virtual servers x 20 real servers, a TCP_CHECK each second), run first by keepalived
# (its checker process) and then by jipvs serve, each for WINDOW seconds after a warm-up. Reports
# the CPU time (user + sys) and resident memory of each, and the time from one real server's
# death (its port starts refusing) to its removal from the table (polled every 20 ms).
#   serve-bench.sh JIPVS OUT_MD [REAL_SERVERS] [WINDOW]
set -euo pipefail
jipvs=$1 out=$2 n=${3:-2000} window=${4:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
per=20
services=$((n / per))
lb=jb-lb-$$ rs=jb-rs-$$
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del $lb 2>/dev/null || true
  ip netns del $rs 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add $lb
ip netns add $rs
ip -n $lb link set lo up
ip -n $rs link set lo up
ip link add eth0 netns $lb type veth peer name eth0 netns $rs
ip -n $lb link set eth0 up
ip -n $rs link set eth0 up
ip -n $lb addr add 10.99.0.1/24 dev eth0
ip -n $rs addr add 10.99.0.2/24 dev eth0
rsaddr() { echo "10.98.$(($1 / 250)).$(($1 % 250 + 1))"; }
for ((i = 0; i < n; i++)); do echo "addr add $(rsaddr $i)/32 dev eth0"; done > "$work/addrs"
ip -n $rs -batch "$work/addrs"
ip -n $lb route add 10.98.0.0/16 via 10.99.0.2
# The checks each one actually made, counted where they arrive: one SYN per check.
ip netns exec $rs nft add table inet count
ip netns exec $rs nft "add chain inet count in { type filter hook input priority -10; }"
ip netns exec $rs nft add rule inet count in tcp dport 80 "tcp flags & (syn | ack) == syn" counter
syns() { ip netns exec $rs nft list chain inet count in | awk '/counter packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'; }
ip netns exec $rs java "$here/Acceptor.java" > "$work/acceptor.log" 2>&1 &
pids+=($!)
for ((t = 0; t < 600; t++)); do grep -q listening "$work/acceptor.log" 2>/dev/null && break; sleep 0.1; done

conf=$work/keepalived.conf
{
  echo "global_defs {"
  echo "    router_id BENCH"
  echo "}"
  for ((s = 0; s < services; s++)); do
    echo "virtual_server 10.97.$((s / 250)).$((s % 250 + 1)) 80 {"
    echo "    protocol TCP"
    echo "    lb_algo rr"
    echo "    lb_kind NAT"
    echo "    delay_loop 1"
    for ((r = 0; r < per; r++)); do
      echo "    real_server $(rsaddr $((s * per + r))) 80 {"
      echo "        TCP_CHECK {"
      echo "            connect_timeout 1"
      echo "        }"
      echo "    }"
    done
    echo "}"
  done
} > "$conf"

ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
usersys() { awk -v t="$ticks" '{ printf "%.2f %.2f", $14 / t, $15 / t }' "/proc/$1/stat"; }
# CPU ticks by thread name (same-named threads summed), to see where a process spends it.
threads() {
  for d in /proc/$1/task/*; do
    printf '%s\t%s\n' "$(tr ' ' _ < "$d/comm")" "$(awk '{ print $14 + $15 }' "$d/stat")"
  done 2>/dev/null | awk -F'\t' '{ s[$1] += $2 } END { for (k in s) print k, s[k] }'
}
rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
dests() { ip netns exec $lb ipvsadm -Ln | grep -c -- '->.*Masq' || true; }
await_dests() { # $1: count, $2: seconds
  for ((t = 0; t < $2 * 10; t++)); do [ "$(dests)" -ge "$1" ] && return 0; sleep 0.1; done
  echo "serve-bench: only $(dests) of $1 real servers in the table" >&2; return 1
}
# The victim: real server 5 of the first service starts refusing its port.
victim=$(rsaddr 5)
kill_victim() {
  ip netns exec $rs nft add table inet bench
  ip netns exec $rs nft "add chain inet bench in { type filter hook input priority 0; }"
  ip netns exec $rs nft add rule inet bench in ip daddr "$victim" tcp dport 80 reject with tcp reset
}
heal_victim() { ip netns exec $rs nft delete table inet bench 2>/dev/null || true; }
detection() { # milliseconds from the refusal to the victim's removal
  local start now
  start=$(date +%s%N)
  kill_victim
  while ip netns exec $lb ipvsadm -Ln -t 10.97.0.1:80 | grep -q "$victim:80"; do
    sleep 0.02
    now=$(date +%s%N)
    if (((now - start) / 1000000 > 30000)); then echo "timeout"; heal_victim; return; fi
  done
  now=$(date +%s%N)
  echo $(((now - start) / 1000000))
  heal_victim
}

measure() { # $1: name, $2: pid whose CPU counts; prints "cpu user sys checks/s rss detection"
  local c0 c1 u0 s0 u1 s1 k0 k1
  sleep 15 # warm-up: every real server checked a few times
  k0=$(syns)
  c0=$(cpu "$2")
  read -r u0 s0 <<< "$(usersys "$2")"
  threads "$2" > "$work/$1.threads0"
  sleep "$window"
  c1=$(cpu "$2")
  k1=$(syns)
  read -r u1 s1 <<< "$(usersys "$2")"
  threads "$2" > "$work/$1.threads1"
  # The threads that used the most, in CPU seconds over the window.
  awk -v t="$ticks" 'NR == FNR { a[$1] = $2; next } { d = ($2 - a[$1]) / t; if (d >= 0.5) printf "%s %.1f s\n", $1, d }' \
    "$work/$1.threads0" "$work/$1.threads1" | sort -k2 -rn > "$work/$1.threads"
  echo "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }') $(awk -v a="$u0" -v b="$u1" 'BEGIN { printf "%.2f", b - a }') $(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }') $(awk -v a="$k0" -v b="$k1" -v w="$window" 'BEGIN { printf "%.0f", (b - a) / w }') $(rss "$2") $(detection)"
}

echo "serve-bench: keepalived, $services virtual servers x $per real servers" >&2
ip netns exec $lb keepalived -n -C -f "$conf" -p "$work/k.pid" -c "$work/c.pid" -r "$work/v.pid" \
  > "$work/keepalived.log" 2>&1 &
kpid=$!
pids+=($kpid)
await_dests "$n" 120
checker=$(cat "$work/c.pid")
result=$(measure keepalived "$checker")
read -r kcpu kuser ksys krate krss kdet <<< "$result"
kill -TERM "$kpid"
wait "$kpid" 2>/dev/null || true
ip netns exec $lb ipvsadm -C

echo "serve-bench: jipvs serve -f keepalived.conf" >&2
ip netns exec $lb "$jipvs" serve -f "$conf" --no-command-socket --state-dir "$work/state" \
  > "$work/serve.log" 2>&1 &
spid=$!
pids+=($spid)
await_dests "$n" 300
result=$(measure jipvs "$spid")
read -r jcpu juser jsys jrate jrss jdet <<< "$result"
kill -TERM "$spid"
wait "$spid" 2>/dev/null || true

{
  echo "$n real servers ($services virtual servers x $per), a TCP check of each every second"
  echo "(keepalived.conf: delay_loop 1, connect_timeout 1, retry and delay_before_retry at keepalived's"
  echo "defaults), the same file for both. CPU over $window s after a 15 s warm-up; detection: one real"
  echo "server's port starts refusing (nft reject with tcp reset) until it leaves the table."
  echo
  per1k() { awk -v c="$1" -v r="$2" -v w="$window" 'BEGIN { if (r > 0) printf "%.1f", 1000 * 1000 * c / (r * w); else print "n/a" }'; }
  echo "| | checks/s made | CPU s in ${window} s | user | system | CPU share | CPU ms per 1,000 checks | resident memory | detection |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| keepalived $(keepalived --version 2>&1 | head -1 | awk '{print $2}') checker | $krate | $kcpu | $kuser | $ksys | $(awk -v c="$kcpu" -v w="$window" 'BEGIN { printf "%.1f %%", 100 * c / w }') | $(per1k "$kcpu" "$krate") | $krss MiB | $kdet ms |"
  echo "| jipvs serve | $jrate | $jcpu | $juser | $jsys | $(awk -v c="$jcpu" -v w="$window" 'BEGIN { printf "%.1f %%", 100 * c / w }') | $(per1k "$jcpu" "$jrate") | $jrss MiB | $jdet ms |"
  echo
  echo "serve's threads with 0.5 CPU s or more: $(paste -sd, "$work/jipvs.threads" | sed 's/,/, /g')"
  echo
  echo "jipvs / keepalived CPU: $(awk -v j="$jcpu" -v k="$kcpu" 'BEGIN { if (k > 0) printf "%.2f", j / k; else print "n/a" }');"\
    "per check made: $(awk -v j="$jcpu" -v k="$kcpu" -v jr="$jrate" -v kr="$krate" 'BEGIN { if (k > 0 && jr > 0) printf "%.2f", (j / jr) / (k / kr); else print "n/a" }')"
} > "$out"
cat "$out"
