#!/usr/bin/env bash
# Runs the integration tests in ONE JVM on a kernel that has IPVS: inside the lab (started by
# it.sh through lab.sh) or directly on a host with IPVS. Inside the lab it first starts a Docker
# engine for the Testcontainers classes, since the lab's own namespace has no other.
#   guest-tests.sh REPORTS_DIR CLASSPATH SCAN_ROOT [launcher selector...]
set -euo pipefail
reports=$1 classpath=$2 scan_root=$3; shift 3
# Kernel test classes end in IT; the launcher's default pattern would find none of them.
selectors=("$@" --include-classname '.*IT$')
[ $# -gt 0 ] || selectors=(--scan-class-path "$scan_root" --include-classname '.*IT$')

start_docker() {
  # vfs storage and no bridge/iptables: the lab has no overlay upper dir and no network to NAT.
  mkdir -p /run/docker /tmp/docker
  # --ip-forward=false: dockerd would turn on ip_forward here, and new namespaces inherit it.
  dockerd --storage-driver vfs --iptables=false --ip6tables=false --ip-forward=false --bridge=none \
    --data-root /tmp/docker --exec-root /run/docker --host unix:///run/docker.sock \
    >/tmp/dockerd.log 2>&1 &
  local i
  for i in $(seq 1 120); do
    /usr/bin/docker -H unix:///run/docker.sock version >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! /usr/bin/docker -H unix:///run/docker.sock version >/dev/null 2>&1; then
    echo "lab: the Docker engine did not start; its log:" >&2; tail -n 30 /tmp/dockerd.log >&2; return 1
  fi
  # No registry is reachable from the lab: the test image is a busybox root made here.
  local img=/tmp/image-root
  mkdir -p "$img/bin" "$img/host" "$img/proc" "$img/sys" "$img/dev" "$img/etc" "$img/tmp"
  cp /bin/busybox "$img/bin/busybox"
  for applet in sh sleep cat readlink chroot ls test; do ln -sf busybox "$img/bin/$applet"; done
  tar -C "$img" -c . | /usr/bin/docker -H unix:///run/docker.sock import - jipvs-it/busybox:lab >/dev/null
  export DOCKER_HOST=unix:///run/docker.sock
  # Ryuk's image cannot be pulled, and with --bridge=none there is no bridge network to resolve.
  export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost
  # Testcontainers' own checks run a "tiny image" (alpine by default, unpullable here); without
  # them passing it silently drops bind mounts.
  export TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE=jipvs-it/busybox:lab
}

jvm_flags=()
if [ -n "${JIPVS_LAB:-}" ]; then
  start_docker
  # Under software emulation the JIT is the cost: C1 only and the serial collector start fastest.
  jvm_flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
  # The serve the tests start too: tiered compilation's code patching has crashed JVMs under
  # QEMU's emulated CPUs, and a test is no place for that (make bench runs serve as installed).
  export JIPVS_JAVA_OPTS="-XX:TieredStopAtLevel=1 ${JIPVS_JAVA_OPTS:-}"
fi

mkdir -p "$reports"
# Tests leave what a person should look at (the status page's screenshots) beside the reports.
exec java "${jvm_flags[@]}" -Djipvs.it.results="$(dirname "$reports")" -cp "$classpath" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --details=tree --disable-ansi-colors --fail-if-no-tests \
  --reports-dir "$reports" "${selectors[@]}"
