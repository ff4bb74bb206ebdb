#!/usr/bin/env bash
# The kernel lab: Debian's stock kernel (IPVS as modules) under QEMU, with this host's root
# filesystem shared read-only over 9p, so the host's java, Maven repository, built jars and
# ipvsadm run unchanged inside a kernel that has IPVS. See ../../README.md ("The kernel lab").
#
#   lab.sh ensure                     install what the lab needs, fetch the kernel, build the initramfs
#   lab.sh run [--results DIR] [--] COMMAND [ARG...]
#                                     boot, run COMMAND as root inside (cwd kept), power off;
#                                     exits with COMMAND's status (125: the guest never reported one)
#   lab.sh shell                      boot to an interactive shell (exit it to power off)
#   lab.sh host-ipvs                  exit 0 when this host itself can serve: root, and IPVS loaded
#                                     or loadable (then no lab is needed)
#   lab.sh auto [--results DIR] [--] COMMAND [ARG...]
#                                     COMMAND on this host if host-ipvs says so, else in the lab
#
# Environment: JIPVS_LAB_CACHE (cache dir, default ~/.cache/jipvs-lab), JIPVS_LAB_KERNEL
# (kernel package, default: what linux-image-amd64 depends on), JIPVS_LAB_MEM (MiB, default 3072),
# JIPVS_LAB_TIMEOUT (seconds for one boot, default 2580).
set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${JIPVS_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jipvs-lab}
MEM=${JIPVS_LAB_MEM:-3072}
# The whole suite runs in one boot: some 35 minutes, up to 41 when the emulated CPUs run slow;
# the guard stops a hung guest while make test stays under 45 minutes.
TIMEOUT=${JIPVS_LAB_TIMEOUT:-2580}

say() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: %s\n' "$*" >&2; exit 2; }

# Debian packages the lab runs on: the emulator, a static busybox for the initramfs, the
# reference ipvsadm, iproute2 for namespaces, a Docker engine for the container tests, curl
# as the demo's HTTP client, nftables (FULLNAT's source NAT table is changed through nft),
# keepalived (the checker serve is measured against) and Prometheus (its server scrapes serve,
# promtool lints the exposition), Chromium (the status page in a real browser) and node_exporter
# (the peer of the metrics bench).
# command -> package
PACKAGES=(
  "qemu-system-x86_64 qemu-system-x86"
  "/bin/busybox busybox-static"
  "ipvsadm ipvsadm"
  "ip iproute2"
  "dockerd docker.io"
  "curl curl"
  "nft nftables"
  "dnsmasq dnsmasq-base"
  "keepalived keepalived"
  "openssl openssl"
  "prometheus prometheus"
  "promtool prometheus"
  "chromium chromium"
  "prometheus-node-exporter prometheus-node-exporter"
  "bird bird2"
  "exabgp exabgp"
)

apt_updated=
apt_update_once() {
  [ -n "$apt_updated" ] && return
  say "apt-get update"
  apt-get update -qq >&2 || die "apt-get update failed; the lab needs Debian's package lists"
  apt_updated=1
}

have() {
  case $1 in
    /*) [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
  esac
}

ensure_packages() {
  local missing=() entry cmd pkg
  for entry in "${PACKAGES[@]}"; do
    read -r cmd pkg <<<"$entry"
    have "$cmd" || missing+=("$pkg")
  done
  # A dynamically linked busybox cannot run as the initramfs' init.
  if [ -x /bin/busybox ] && ! dpkg -s busybox-static >/dev/null 2>&1; then missing+=(busybox-static); fi
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ]; then
    die "missing Debian packages ${missing[*]}: install them as root (apt-get install ${missing[*]}) or run as root"
  fi
  apt_update_once
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed"
}

kernel_package() {
  if [ -n "${JIPVS_LAB_KERNEL:-}" ]; then echo "$JIPVS_LAB_KERNEL"; return; fi
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
    apt_update_once
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  fi
  # Offline but cached: take the newest kernel already unpacked.
  if [ -z "$pkg" ]; then
    pkg=$(ls -1 "$CACHE/kernels" 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [ -n "$pkg" ] || die "cannot resolve Debian's linux-image-amd64 (apt-cache knows no package lists; run apt-get update as root)"
  echo "$pkg"
}

# Fetches and unpacks the kernel package once; later runs find it in the cache.
ensure_kernel() {
  KPKG=$(kernel_package)
  KDIR=$CACHE/kernels/$KPKG
  if [ ! -f "$KDIR/.complete" ]; then
    say "fetching kernel $KPKG (once; cached in $KDIR)"
    rm -rf "$KDIR"; mkdir -p "$KDIR"
    # apt-get download runs as _apt, which must be able to reach and write the directory.
    local deb; deb=$(mktemp -d); chmod 777 "$deb"
    (cd "$deb" && apt-get download -q "$KPKG" >&2) || die "apt-get download $KPKG failed"
    dpkg -x "$deb"/*.deb "$KDIR/root"
    rm -rf "$deb"
    touch "$KDIR/.complete"
  fi
  KVER=$(ls -1 "$KDIR/root/lib/modules" | head -n 1)
  VMLINUZ=$KDIR/root/boot/vmlinuz-$KVER
  [ -f "$VMLINUZ" ] || die "kernel package $KPKG has no /boot/vmlinuz-$KVER"
}

# Module subtrees copied into the initramfs: IPVS and netfilter, the tunnels and links the
# real-server tests build (ipip, gre, fou, dummy, veth, bridge), 9p over virtio for the shares,
# overlayfs for the guest's writable root.
MODULE_TREES="net/netfilter net/ipv4 net/ipv6 net/9p net/core net/bridge net/llc net/802 net/sched
  fs/9p fs/overlayfs fs/netfs fs/fscache lib crypto arch/x86/crypto drivers/virtio drivers/net/dummy.ko
  drivers/net/veth.ko drivers/net/vxlan"

ensure_initramfs() {
  local stamp
  stamp=$(cat "$LAB_HOME/init.sh" "$LAB_HOME/modules.load" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)
  INITRD=$KDIR/initramfs-$stamp.cpio.gz
  [ -f "$INITRD" ] && return
  say "building initramfs for $KVER"
  local root
  root=$(mktemp -d "$CACHE/initramfs.XXXXXX")
  mkdir -p "$root"/{bin,dev,proc,sys,newroot,lib/modules/"$KVER"/kernel}
  cp /bin/busybox "$root/bin/busybox"
  cp "$LAB_HOME/init.sh" "$root/init"; chmod 755 "$root/init"
  cp "$LAB_HOME/modules.load" "$root/modules.load"
  local src=$KDIR/root/lib/modules/$KVER t
  for t in $MODULE_TREES; do
    [ -e "$src/kernel/$t" ] || continue
    mkdir -p "$root/lib/modules/$KVER/kernel/$(dirname "$t")"
    cp -a "$src/kernel/$t" "$root/lib/modules/$KVER/kernel/$t"
  done
  cp "$src"/modules.order "$src"/modules.builtin "$root/lib/modules/$KVER/"
  /bin/busybox depmod -b "$root" "$KVER"
  (cd "$root" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$INITRD.tmp"
  mv "$INITRD.tmp" "$INITRD"
  rm -rf "$root"
}

ensure() {
  [ "$(uname -m)" = x86_64 ] || die "the lab boots an x86_64 kernel; this host is $(uname -m)"
  mkdir -p "$CACHE"
  ensure_packages
  ensure_kernel
  ensure_initramfs
}

host_has_ipvs() {
  [ "$(id -u)" = 0 ] || return 1
  [ -e /proc/net/ip_vs ] || modprobe -q ip_vs 2>/dev/null || true
  [ -e /proc/net/ip_vs ]
}

shell_quote() { local a out=; for a in "$@"; do out+=" $(printf '%q' "$a")"; done; echo "${out# }"; }

# Boots the lab once. $1: run|shell; the rest: the command for run.
boot() {
  local mode=$1; shift
  local results=$RESULTS
  mkdir -p "$results/.lab"
  rm -f "$results/.lab/exit"
  # Where the guest mounts the results share: its host path, so that paths in the command mean
  # the same on both sides. A file, not the kernel command line, which splits at spaces.
  printf '%s' "$results" > "$results/.lab/path"
  # What the guest runs, written where both sides see it: the environment that matters,
  # the caller's working directory, the command.
  {
    echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    echo "export HOME=/tmp/home LANG=C.UTF-8 JIPVS_LAB=1 CI=${CI:-}"
    [ -n "${JAVA_HOME:-}" ] && echo "export JAVA_HOME=$(printf '%q' "$JAVA_HOME")"
    echo "mkdir -p /tmp/home"
    echo "cd $(printf '%q' "$PWD")"
    if [ "$mode" = run ]; then echo "$(shell_quote "$@")"; else echo 'exec /bin/bash -i'; fi
  } > "$results/.lab/command.sh"

  local serial=(-serial stdio)
  local stdin=/dev/null
  if [ "$mode" = shell ]; then stdin=/dev/stdin; fi
  local start=$SECONDS
  timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 \
    -accel tcg,thread=multi -smp 2 -m "$MEM" -cpu max -bios qboot.rom \
    -nographic -monitor none "${serial[@]}" -no-reboot -nic none \
    -kernel "$VMLINUZ" -initrd "$INITRD" \
    -append "console=ttyS0 quiet loglevel=0 panic=-1 jipvs.mode=$mode" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=${results//,/,,},mount_tag=results,security_model=none,multidevs=remap" \
    < "$stdin" || say "qemu ended with status $? after $((SECONDS - start)) s"
  if [ ! -f "$results/.lab/exit" ]; then
    say "the guest did not report an exit status (crash or timeout after $((SECONDS - start)) s)"
    return 125
  fi
  return "$(cat "$results/.lab/exit")"
}

main() {
  local cmd=${1:-}; shift || true
  case $cmd in
    ensure) ensure ;;
    host-ipvs) host_has_ipvs ;;
    auto)
      if host_has_ipvs; then
        [ "${1:-}" = --results ] && shift 2
        [ "${1:-}" = -- ] && shift
        exec "$@"
      fi
      main run "$@"
      ;;
    run)
      RESULTS=
      while [ $# -gt 0 ]; do
        case $1 in
          --results) RESULTS=$2; shift 2 ;;
          --) shift; break ;;
          *) break ;;
        esac
      done
      [ $# -gt 0 ] || die "usage: lab.sh run [--results DIR] [--] COMMAND [ARG...]"
      ensure
      if [ -z "$RESULTS" ]; then RESULTS=$(mktemp -d "$CACHE/run.XXXXXX"); trap 'rm -rf "$RESULTS"' EXIT; fi
      mkdir -p "$RESULTS"; RESULTS=$(cd "$RESULTS" && pwd)
      local rc=0; boot run "$@" || rc=$?
      exit $rc
      ;;
    shell)
      ensure
      RESULTS=$(mktemp -d "$CACHE/run.XXXXXX"); trap 'rm -rf "$RESULTS"' EXIT
      boot shell || true
      ;;
    *) die "usage: lab.sh ensure | run [--results DIR] [--] COMMAND [ARG...] | shell | host-ipvs | auto [--results DIR] [--] COMMAND [ARG...]" ;;
  esac
}

main "$@"
