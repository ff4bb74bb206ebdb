#!/usr/bin/env bash
# make demo: one virtual service per forwarding method (DR, TUN, NAT, FULLNAT), real HTTP through each
# VIP, which real server answered, then the IPVS table with its counters. Runs as root on a
# kernel with IPVS (the lab guest, or a host), entirely inside network namespaces it creates
# and deletes; no address leaves them.
#
#   client 10.0.0.10 ── br ──┬── director 10.0.0.2 + VIPs .100 (dr) .101 (tun) .102 (nat)
#                            ├── rs1 10.0.0.11   (dr + tun real server, prepared by rs-setup)
#                            └── rs2 10.0.0.12
#   director 10.2.0.1 ── br ─┬── nrs1 10.2.0.11  (nat real servers, default via the director)
#                            └── nrs2 10.2.0.12
#   director 10.3.0.1 ── router frt 10.3.0.2 / 10.4.0.1 ── br ─┬── frs1 10.4.0.11 (fullnat real
#                                                             └── frs2 10.4.0.12  servers; the
#   router has no route back to the client: only the director's source NAT gets them answered)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jipvs=$(dirname "$(dirname "$here")")/cli/target/jipvs
[ -x "$jipvs" ] || { echo "demo: $jipvs is missing; run make build first" >&2; exit 2; }

p=jd$$-
nss=(sw cl lb rs1 rs2 nsw nrs1 nrs2 frt fsw frs1 frs2)
work=$(mktemp -d /tmp/jipvs-demo.XXXXXX)
cleanup() {
  local n pid
  for n in "${nss[@]}"; do
    for pid in $(ip netns pids "$p$n" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$p$n" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
at() { local n=$1; shift; ip netns exec "$p$n" "$@"; }
# A real-server helper of jipvs inside namespace N (state kept with the demo's other files).
helper_at() { local n=$1; shift; at "$n" "$jipvs" "$@" --state-dir "$work/state"; }
say() { printf '\n== %s\n' "$*"; }

say "network: client, director, two DR/TUN real servers on one segment, two NAT real servers behind the director, two FULLNAT real servers behind a router"
for n in "${nss[@]}"; do ip netns add "$p$n"; ip -n "$p$n" link set lo up; done
veth() { ip link add "$2" netns "$p$1" type veth peer name "$4" netns "$p$3"; ip -n "$p$1" link set "$2" up; ip -n "$p$3" link set "$4" up; }
veth cl eth0 sw p-cl; veth lb eth0 sw p-lb; veth rs1 eth0 sw p-rs1; veth rs2 eth0 sw p-rs2
veth lb eth1 nsw p-lb; veth nrs1 eth0 nsw p-nrs1; veth nrs2 eth0 nsw p-nrs2
veth lb eth2 frt eth0; veth frt eth1 fsw p-frt; veth frs1 eth0 fsw p-frs1; veth frs2 eth0 fsw p-frs2
for s in sw nsw fsw; do
  ip -n "$p$s" link add br0 type bridge
  for port in $(ip -n "$p$s" -o link show | awk -F': ' '$2 ~ /^p-/ {sub(/@.*/, "", $2); print $2}'); do
    ip -n "$p$s" link set "$port" master br0
  done
  ip -n "$p$s" link set br0 up
done
ip -n "${p}cl" addr add 10.0.0.10/24 dev eth0
ip -n "${p}lb" addr add 10.0.0.2/24 dev eth0
for v in 100 101 102 103; do ip -n "${p}lb" addr add "10.0.0.$v/32" dev eth0; done
ip -n "${p}lb" addr add 10.2.0.1/24 dev eth1
ip -n "${p}rs1" addr add 10.0.0.11/24 dev eth0
ip -n "${p}rs2" addr add 10.0.0.12/24 dev eth0
for i in 1 2; do
  ip -n "${p}nrs$i" addr add "10.2.0.1$i/24" dev eth0
  ip -n "${p}nrs$i" route add default via 10.2.0.1
done
ip -n "${p}lb" addr add 10.3.0.1/24 dev eth2
ip -n "${p}lb" route add 10.4.0.0/24 via 10.3.0.2
ip -n "${p}frt" addr add 10.3.0.2/24 dev eth0
ip -n "${p}frt" addr add 10.4.0.1/24 dev eth1
at frt sysctl -qw net.ipv4.ip_forward=1
for i in 1 2; do
  ip -n "${p}frs$i" addr add "10.4.0.1$i/24" dev eth0
  ip -n "${p}frs$i" route add default via 10.4.0.1
done

say "an HTTP responder on each real server, answering with its name (/peer: and the client address it saw)"
for r in rs1 rs2 nrs1 nrs2 frs1 frs2; do
  mkdir -p "$work/$r/cgi-bin"; echo "$r" > "$work/$r/index.html"
  # busybox httpd listens on IPv6 too, so an IPv4 peer arrives as [::ffff:a.b.c.d].
  cat > "$work/$r/cgi-bin/peer" <<EOF
#!/bin/sh
a=\${REMOTE_ADDR#\[::ffff:}; a=\${a%\]}
printf 'Content-Type: text/plain\\n\\n%s (saw client %s)\\n' "$r" "\$a"
EOF
  chmod 755 "$work/$r/cgi-bin/peer"
  at "$r" busybox httpd -p 80 -h "$work/$r"
done

say "real servers: jipvs rs-setup (dr VIP 10.0.0.100 on lo, tun VIP 10.0.0.101 on tunl0)"
for r in rs1 rs2; do
  echo "-- $r"
  helper_at "$r" rs-setup --vip 10.0.0.100
  helper_at "$r" rs-setup --vip 10.0.0.101 --mode tun
done
say "director: jipvs director-setup --nat"
helper_at lb director-setup --nat
say "director: jipvs director-setup --fullnat --service tcp:10.0.0.103:80 (vs.conntrack before any traffic, then the nft rule)"
helper_at lb director-setup --fullnat --service tcp:10.0.0.103:80
at lb nft list table inet jipvs

say "director: one virtual service per mode"
at lb "$jipvs" -A -t 10.0.0.100:80 -s rr
at lb "$jipvs" -a -t 10.0.0.100:80 -r 10.0.0.11:80 -g
at lb "$jipvs" -a -t 10.0.0.100:80 -r 10.0.0.12:80 -g
at lb "$jipvs" -A -t 10.0.0.101:80 -s rr
at lb "$jipvs" -a -t 10.0.0.101:80 -r 10.0.0.11:80 -i
at lb "$jipvs" -a -t 10.0.0.101:80 -r 10.0.0.12:80 -i
at lb "$jipvs" -A -t 10.0.0.102:80 -s wrr
at lb "$jipvs" -a -t 10.0.0.102:80 -r 10.2.0.11:80 -m -w 3
at lb "$jipvs" -a -t 10.0.0.102:80 -r 10.2.0.12:80 -m -w 1
at lb "$jipvs" -A -t 10.0.0.103:80 -s rr
at lb "$jipvs" -a -t 10.0.0.103:80 -r 10.4.0.11:80 -m
at lb "$jipvs" -a -t 10.0.0.103:80 -r 10.4.0.12:80 -m
at lb "$jipvs" -Ln

say "requests from the client"
fail=0
for pair in dr:10.0.0.100 tun:10.0.0.101 nat:10.0.0.102 fullnat:10.0.0.103; do
  mode=${pair%%:*} vip=${pair#*:}
  for i in 1 2 3 4 5 6 7 8; do
    if answer=$(at cl curl -s -m 3 "http://$vip/cgi-bin/peer"); then
      printf '%-7s http://%s/  request %d  answered by %s\n' "$mode" "$vip" "$i" "$answer"
    else
      printf '%-7s http://%s/  request %d  FAILED\n' "$mode" "$vip" "$i"; fail=1
    fi
  done
done

# The kernel folds its per-CPU counters into the totals every 2 s.
sleep 2.5
say "IPVS table with counters (DR/TUN: replies bypass the director, so OutPkts stays 0; FULLNAT is Masq to ipvsadm)"
at lb "$jipvs" -Ln --stats

say "rs-status on rs1"
helper_at rs1 rs-status || fail=1
say "director-status --fullnat"
helper_at lb director-status --fullnat || fail=1
exit $fail
