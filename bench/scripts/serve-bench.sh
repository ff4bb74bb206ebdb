#!/usr/bin/env bash
# jipvs serve against keepalived's checker, side by side on one kernel: the same keepalived.conf
# (SERVICES virtual servers x 20 real servers, a TCP_CHECK each second), run by keepalived (its
# checker process) and by jipvs serve in alternating ROUNDS, each for WINDOW seconds after a
# warm-up. Reports the CPU time (user + sys), the checks made and the resident memory of each, and
# the time from one real server's death (its port starts refusing) to its removal from the table
# (polled every 20 ms).
#   serve-bench.sh JIPVS OUT_MD [REAL_SERVERS] [WINDOW] [ROUNDS]
set -euo pipefail
jipvs=$1 out=$2 n=${3:-2000} window=${4:-30} rounds=${5:-3}
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
# C1 only and the serial collector: under the lab's emulation a JVM's C2 code has crashed (SIGILL,
# abort) now and then; and a crash is retried, since without the acceptor every check fails.
start_acceptor() {
  local a
  for a in 1 2 3; do
    ip netns exec $rs java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$here/Acceptor.java" > "$work/acceptor.log" 2>&1 &
    acceptor=$!
    pids+=($acceptor)
    for ((t = 0; t < 1200; t++)); do
      grep -q listening "$work/acceptor.log" 2>/dev/null && return 0
      kill -0 $acceptor 2>/dev/null || break
      sleep 0.1
    done
    echo "serve-bench: the acceptor did not start (attempt $a): $(tail -3 "$work/acceptor.log")" >&2
    kill -9 $acceptor 2>/dev/null || true
  done
  return 1
}
start_acceptor

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

measure() { # $1: name, $2: pid whose CPU counts; prints "user sys seconds syns rss detection"
  local u0 s0 u1 s1 k0 k1 t0 t1
  sleep 15 # warm-up: every real server checked a few times
  # The slow readings (a process per thread) outside the window; the window's own readings
  # (clock, CPU, SYN counter) next to each other, and its length as measured, not as slept.
  threads "$2" > "$work/$1.threads0"
  t0=$(date +%s%N)
  read -r u0 s0 <<< "$(usersys "$2")"
  k0=$(syns)
  sleep "$window"
  k1=$(syns)
  read -r u1 s1 <<< "$(usersys "$2")"
  t1=$(date +%s%N)
  threads "$2" > "$work/$1.threads1"
  # The threads that used the most, in CPU seconds over the window (summed over the rounds).
  awk -v t="$ticks" 'NR == FNR { a[$1] = $2; next } { d = ($2 - a[$1]) / t; if (d > 0) printf "%s %.2f\n", $1, d }' \
    "$work/$1.threads0" "$work/$1.threads1" >> "$work/$1.threads"
  awk -v u0="$u0" -v u1="$u1" -v s0="$s0" -v s1="$s1" -v t0="$t0" -v t1="$t1" -v k0="$k0" -v k1="$k1" \
    'BEGIN { printf "%.2f %.2f %.3f %d ", u1 - u0, s1 - s0, (t1 - t0) / 1e9, k1 - k0 }'
  echo "$(rss "$2") $(detection)"
}

# A round's second half, once its table is full: measure, stop, empty the table.
end_round() { # $1: name, $2: round, $3: the process whose CPU counts, $4: the process to stop
  echo "$1 $2 $(measure "$1" "$3")" >> "$work/rounds"
  kill -TERM "$4"
  wait "$4" 2>/dev/null || true
  ip netns exec $lb ipvsadm -C
}

keepalived_round() { # $1: round
  ip netns exec $lb keepalived -n -C -f "$conf" -p "$work/k.pid" -c "$work/c.pid" -r "$work/v.pid" \
    > "$work/keepalived.log" 2>&1 &
  local kpid=$!
  pids+=($kpid)
  await_dests "$n" 120
  end_round keepalived "$1" "$(cat "$work/c.pid")" "$kpid"
}

serve_round() { # $1: round
  rm -rf "$work/state"
  # A JVM that crashes (the lab's emulated CPUs have crashed C2 code now and then) leaves its
  # report beside the results.
  JIPVS_JAVA_OPTS="${JIPVS_JAVA_OPTS:-} -XX:ErrorFile=$(cd "$(dirname "$out")" && pwd)/hs_err_serve_%p.log" \
    ip netns exec $lb "$jipvs" serve -f "$conf" --no-command-socket --state-dir "$work/state" \
    > "$work/serve.log" 2>&1 &
  local spid=$!
  pids+=($spid)
  await_dests "$n" 300
  end_round jipvs "$1" "$spid" "$spid"
}

# Rounds alternate keepalived and serve, each started afresh: the emulated CPUs' speed drifts by
# some percent over minutes, and one window each would carry that drift into the ratio.
: > "$work/rounds"
for ((r = 1; r <= rounds; r++)); do
  kill -0 $acceptor 2>/dev/null || { echo "serve-bench: the acceptor died: $(tail -3 "$work/acceptor.log")" >&2; start_acceptor; }
  echo "serve-bench: round $r of $rounds: keepalived, $services virtual servers x $per real servers" >&2
  keepalived_round "$r"
  echo "serve-bench: round $r of $rounds: jipvs serve -f keepalived.conf" >&2
  serve_round "$r"
done

# Sums over the rounds; the median detection; the resident memory of the last round.
# Rows of $work/rounds: name round user sys seconds syns rss detection.
total() { # $1: name; prints "cpu user sys cpu-share checks/s ms-per-1000 rss detection"
  local median
  median=$(awk -v name="$1" '$1 == name { print $8 }' "$work/rounds" | sort -n | awk '{ d[NR] = $1 } END { print d[int((NR + 1) / 2)] }')
  awk -v name="$1" -v d="$median" '$1 == name { u += $3; s += $4; t += $5; k += $6; m = $7 }
    END { c = u + s; printf "%.2f %.2f %.2f %.1f %.0f %.1f %s %s\n", c, u, s, 100 * c / t, k / t, (k > 0 ? 1e6 * c / k : 0), m, d }' "$work/rounds"
}
read -r kcpu kuser ksys kshare krate kper krss kdet <<< "$(total keepalived)"
read -r jcpu juser jsys jshare jrate jper jrss jdet <<< "$(total jipvs)"
ratio() { awk -v j="$1" -v k="$2" 'BEGIN { if (k > 0) printf "%.2f", j / k; else print "n/a" }'; }
round() { # $1: name, $2: round; prints "CPU share, checks/s, detection"
  awk -v name="$1" -v r="$2" '$1 == name && $2 == r { printf "%.1f %%, %.0f/s, %s ms", 100 * ($3 + $4) / $5, $6 / $5, $8 }' "$work/rounds"
}
share() { awk -v name="$1" -v r="$2" '$1 == name && $2 == r { print ($3 + $4) / $5 }' "$work/rounds"; }
{
  echo "$n real servers ($services virtual servers x $per), a TCP check of each every second"
  echo "(keepalived.conf: delay_loop 1, connect_timeout 1, retry and delay_before_retry at keepalived's"
  echo "defaults), the same file for both. $rounds rounds, each keepalived then serve started afresh;"
  echo "CPU over $window s after a 15 s warm-up, summed over the rounds; checks made: SYNs counted at the"
  echo "real servers; detection (the median of the rounds): one real server's port starts refusing (nft"
  echo "reject with tcp reset) until it leaves the table."
  echo
  echo "| | checks/s made | CPU s | user | system | CPU share | CPU ms per 1,000 checks | resident memory | detection |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  echo "| keepalived $(keepalived --version 2>&1 | head -1 | awk '{print $2}') checker | $krate | $kcpu | $kuser | $ksys | $kshare % | $kper | $krss MiB | $kdet ms |"
  echo "| jipvs serve | $jrate | $jcpu | $juser | $jsys | $jshare % | $jper | $jrss MiB | $jdet ms |"
  echo
  echo "Each round (CPU share, checks/s made, detection):"
  echo
  echo "| round | keepalived | jipvs serve | jipvs / keepalived CPU |"
  echo "| ---: | --- | --- | ---: |"
  for ((r = 1; r <= rounds; r++)); do
    echo "| $r | $(round keepalived $r) | $(round jipvs $r) | $(ratio "$(share jipvs $r)" "$(share keepalived $r)") |"
  done
  echo
  echo "serve's threads with 0.5 CPU s or more: $(awk '{ s[$1] += $2 } END { for (k in s) if (s[k] >= 0.5) printf "%s %.1f s\n", k, s[k] }' "$work/jipvs.threads" | sort -k2 -rn | paste -sd, | sed 's/,/, /g')"
  echo
  echo "jipvs / keepalived CPU: $(ratio "$jshare" "$kshare"); per check made: $(ratio "$jper" "$kper")"
} > "$out"
cat "$out"
