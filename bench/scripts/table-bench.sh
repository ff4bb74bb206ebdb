#!/usr/bin/env bash
# The table benchmark: ipvsadm against jipvs on one large table, as CPU time (user + sys) of the
# process, in a fresh network namespace of a kernel with IPVS (the lab's, or the host's).
#   table-bench.sh JIPVS OUT_MD [SERVICES] [ROUNDS]
# Three tools: ipvsadm; jipvs starting its own JVM (JIPVS_DAEMON=off); and jipvs handing the
# command to a resident `jipvs daemon`, counted as the client's CPU time plus the daemon's (its
# /proc/PID/stat delta, read once it is idle again, so background JIT work is included).
# Rounds alternate A B C C B A so drift (caches, the estimator, other load) hits all alike.
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

# The resident daemon, in the benchmark's namespace, started as an installed system starts it:
# socket-activated (jipvs.socket), here by systemd's own systemd-socket-activate, which listens on
# the namespace's socket and execs the daemon in its own process at the first command, handing the
# socket over (LISTEN_FDS). (ip, systemd-socket-activate, the launcher and java each exec the
# next: $! is the daemon's JVM itself.)
cookie=$(in_ns python3 -c 'import socket, struct; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); print(struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 71, 8))[0])')
sock=/run/jipvs/daemon-$cookie.sock
mkdir -p -m 0700 /run/jipvs
ip netns exec $ns systemd-socket-activate -l "$sock" "$jipvs" daemon 2> "$work/daemon.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; rm -f "$sock"; ip netns del $ns 2>/dev/null || true; rm -rf "$work"' EXIT
for ((i = 0; i < 600; i++)); do [ -S "$sock" ] && break; sleep 0.1; done
# The first command starts the daemon (its JVM start is the once-paid figure below) and is run by
# it: the client waits for the JVM to come up instead of its usual 3 s.
first_start=$(date +%s.%N)
in_ns env JIPVS_DAEMON_WAIT_MS=600000 "$jipvs" -Ln > /dev/null
first_ms=$(awk -v a="$first_start" -v b="$(date +%s.%N)" 'BEGIN {printf "%d", (b - a) * 1000}')
for ((i = 0; i < 600; i++)); do grep -q 'jipvs daemon: serving ' "$work/daemon.log" && break; sleep 0.2; done
grep -q 'jipvs daemon: serving the socket systemd passed' "$work/daemon.log" \
  || { echo "the socket-activated jipvs daemon did not start:" >&2; cat "$work/daemon.log" >&2; exit 1; }

hz=$(getconf CLK_TCK)
daemon_ticks() { # "utime stime" of the daemon, all threads
  sed 's/.*) //' "/proc/$daemon/stat" | awk '{print $12, $13}'
}
settled_ticks() { # the daemon's ticks once it has stopped using CPU (JIT and GC finish after a command)
  local prev now i
  prev=$(daemon_ticks)
  for ((i = 0; i < 20; i++)); do
    sleep 0.5; now=$(daemon_ticks)
    [ "$now" = "$prev" ] && break
    prev=$now
  done
  echo "$prev"
}
daemon_start=$(settled_ticks)
# CPU seconds "user sys" of one command through the daemon: the client's plus the daemon's share.
cpu_daemon() {
  local stdin=$1 bu bs au as cu cs; shift
  read -r bu bs <<<"$(settled_ticks)"
  read -r cu cs <<<"$(cpu "$stdin" "$@")"
  read -r au as <<<"$(settled_ticks)"
  awk -v cu="$cu" -v cs="$cs" -v du=$((au - bu)) -v ds=$((as - bs)) -v hz="$hz" \
    'BEGIN {printf "%.2f %.2f\n", cu + du / hz, cs + ds / hz}'
}

declare -A user sys
record() { # tool case "user sys"
  local u s; read -r u s <<<"$3"
  user[$1,$2]+="$u " sys[$1,$2]+="$s "
}

run_case() { # tool case
  local tool=$1 case=$2 measure=cpu bin
  case $tool in
    ipvsadm) bin=(ipvsadm) ;;
    jipvs) bin=(env JIPVS_DAEMON=off "$jipvs") ;;
    daemon) bin=("$jipvs") measure=cpu_daemon ;;
  esac
  case $case in
    apply|applyyaml|noop)
      # jipvs apply has no ipvsadm twin: its rows compare with ipvsadm -R of the same rules (from
      # empty) and ipvsadm -Sn (nothing to do), the issue's yardsticks, measured in the same rounds.
      # The rules go in as ipvsadm's rules file ("the same rules") and as jipvs's YAML.
      [ "$tool" = ipvsadm ] && return
      [ "$case" = noop ] || in_ns ipvsadm -C
      local input=$rules; [ "$case" = applyyaml ] && input=$yaml
      record "$tool" "$case" "$($measure "$input" "${bin[@]}" apply -f -)"
      [ "$case" != noop ] || grep -q '^nothing to do' "$work/stdout" \
        || { echo "the no-op apply changed something:" >&2; cat "$work/stdout" >&2; exit 1; } ;;
    restore) in_ns ipvsadm -C; record "$tool" "$case" "$($measure "$rules" "${bin[@]}" -R)" ;;
    list)    record "$tool" "$case" "$($measure /dev/null "${bin[@]}" -Ln)" ;;
    save)    record "$tool" "$case" "$($measure /dev/null "${bin[@]}" -Sn)" ;;
    empty)   in_ns ipvsadm -C; record "$tool" "$case" "$($measure /dev/null "${bin[@]}" -Ln)"
             in_ns ipvsadm -R < "$rules" ;;
  esac
}

# Every tool must leave exactly the same table.
in_ns ipvsadm -C; in_ns ipvsadm -R < "$rules"; in_ns ipvsadm -Sn > "$work/by-ipvsadm"
for how in off auto; do
  in_ns ipvsadm -C; JIPVS_DAEMON=$how in_ns "$jipvs" -R < "$rules"; in_ns ipvsadm -Sn > "$work/by-jipvs"
  if ! cmp -s "$work/by-ipvsadm" "$work/by-jipvs"; then
    echo "jipvs -R (JIPVS_DAEMON=$how) and ipvsadm -R left different tables:" >&2
    diff "$work/by-ipvsadm" "$work/by-jipvs" | head -20 >&2
    exit 1
  fi
done
# The same table as a desired-state file; jipvs apply of it from empty must leave it exactly.
yaml=$work/table.yaml
in_ns "$jipvs" export > "$yaml"
for how in off auto; do
  in_ns ipvsadm -C; JIPVS_DAEMON=$how in_ns "$jipvs" apply -f - < "$yaml" > /dev/null; in_ns ipvsadm -Sn > "$work/by-jipvs"
  if ! cmp -s "$work/by-ipvsadm" "$work/by-jipvs"; then
    echo "jipvs apply (JIPVS_DAEMON=$how) of the exported file and ipvsadm -R left different tables:" >&2
    diff "$work/by-ipvsadm" "$work/by-jipvs" | head -20 >&2
    exit 1
  fi
done
same_state="identical for all three ($(wc -l < "$work/by-jipvs") lines of ipvsadm -Sn), and after jipvs apply of the exported file from empty"

for ((r = 0; r < rounds; r++)); do
  if ((r % 2 == 0)); then order="ipvsadm jipvs daemon"; else order="daemon jipvs ipvsadm"; fi
  for c in restore apply applyyaml noop list save empty; do
    for t in $order; do run_case "$t" "$c"; done
  done
  # The floor under every jipvs figure: the JVM alone, with the launcher's flags, doing nothing.
  record jvm floor "$(cpu /dev/null java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -version)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
{
  echo "| case | tool | user | sys | total | / ipvsadm |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  for c in restore apply applyyaml noop list save empty; do
    yard=$c
    case $c in
      restore) label="-R of $services x $dests" ;;
      apply) label="apply of the same rules from empty (vs -R)" yard=restore ;;
      applyyaml) label="apply of them as YAML from empty (vs -R)" yard=restore ;;
      noop) label="apply of the same rules, nothing to do (vs -Sn)" yard=save ;;
      list) label="-Ln of $services x $dests" ;;
      save) label="-Sn of $services x $dests" ;;
      empty) label="-Ln, empty table" ;;
    esac
    iu=$(median <<<"${user[ipvsadm,$yard]}") is=$(median <<<"${sys[ipvsadm,$yard]}")
    it=$(awk -v a="$iu" -v b="$is" 'BEGIN {printf "%.2f", a + b}')
    for t in ipvsadm jipvs daemon; do
      [ "$yard" != "$c" ] && [ "$t" = ipvsadm ] && continue
      u=$(median <<<"${user[$t,$c]}") s=$(median <<<"${sys[$t,$c]}")
      total=$(awk -v a="$u" -v b="$s" 'BEGIN {printf "%.2f", a + b}')
      ratio=$(awk -v j="$total" -v i="$it" 'BEGIN {if (i > 0) printf "%.2f", j / i; else print "n/a"}')
      case $t in
        ipvsadm) name=ipvsadm ratio=1 ;;
        jipvs) name="jipvs, own JVM" ;;
        daemon) name="jipvs via socket-activated daemon" ;;
      esac
      echo "| $label | $name | $u | $s | $total | $ratio |"
    done
  done
  echo
  echo "CPU seconds, medians of $rounds alternating rounds (A B C C B A ...). \"jipvs via socket-activated"
  echo "daemon\" is the client's CPU time plus the daemon's for that command; the daemon was started by"
  echo "systemd-socket-activate at the first command, as jipvs.socket starts it. Final state after -R: $same_state."
  fu=$(median <<<"${user[jvm,floor]}") fs=$(median <<<"${sys[jvm,floor]}")
  echo
  echo "The JVM's own floor, \`java -version\` with the launcher's flags: $fu user + $fs sys =" \
    "$(awk -v a="$fu" -v b="$fs" 'BEGIN {printf "%.2f", a + b}') s CPU (median)."
  read -r su ss <<<"$daemon_start"
  echo
  echo "The daemon's own start-up, paid once, at the first command ($first_ms ms from the command to its"
  echo "output, the daemon's JVM start included): $(awk -v u="$su" -v s="$ss" -v hz="$hz" \
    'BEGIN {printf "%.2f user + %.2f sys", u / hz, s / hz}') s CPU; its resident memory at the end:" \
    "$(awk '/^VmRSS/ {printf "%d MiB", $2 / 1024}' "/proc/$daemon/status")."
} > "$out"
cat "$out"
