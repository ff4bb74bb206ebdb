#!/usr/bin/env bash
# Runs every integration test (it-tests, classes *IT) on a real IPVS kernel, chosen here:
#   host        root and IPVS on this host: tests run here, each class in a fresh network namespace
#   lab         otherwise: the QEMU kernel lab (lab.sh), all tests in one JVM inside the guest
#   containers  neither, but a Docker engine answers: only the privileged-container tests run
# JIPVS_IT_PROVIDER=host|lab|containers forces one; JIPVS_IT_SELECT narrows the run to launcher
# selectors while debugging (e.g. "--select-class io.jipvs.it.ipvs.TableIT"). Fails when a test
# fails, when none ran, and, under CI=true, when any was skipped.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module=$(dirname "$here")
target=$module/target
classpath="$target/test-classes:$(cat "$target/it-classpath.txt")"
results=$target/lab
reports=$results/reports

say() { printf 'it: %s\n' "$*" >&2; }

host_has_ipvs() {
  bash "$here/lab.sh" host-ipvs && command -v ip >/dev/null && command -v ipvsadm >/dev/null
}

lab_possible() {
  [ "$(uname -m)" = x86_64 ] || return 1
  { command -v qemu-system-x86_64 && command -v ipvsadm && [ -x /bin/busybox ]; } >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null
}

docker_answers() {
  command -v docker >/dev/null && docker version >/dev/null 2>&1
}

provider=${JIPVS_IT_PROVIDER:-}
if [ -z "$provider" ]; then
  if host_has_ipvs; then provider=host
  elif lab_possible; then provider=lab
  elif docker_answers; then provider=containers
  else
    say "no kernel with IPVS for the integration tests: run as root on a Linux host with the ip_vs module, or as root on Debian x86_64 so the QEMU lab can install itself (see README.md, \"The kernel lab\"), or start a Docker engine whose kernel has IPVS"
    exit 2
  fi
fi
say "kernel provider: $provider"

rm -rf "$results"; mkdir -p "$results"
# shellcheck disable=SC2206 # selectors are words on purpose
select=(${JIPVS_IT_SELECT:-})
rc=0
case $provider in
  host)
    bash "$here/guest-tests.sh" "$reports" "$classpath" "$target/test-classes" "${select[@]}" || rc=$?
    ;;
  lab)
    bash "$here/lab.sh" run --results "$results" -- \
      bash "$here/guest-tests.sh" "$reports" "$classpath" "$target/test-classes" "${select[@]}" || rc=$?
    ;;
  containers)
    say "no IPVS kernel here: only the privileged-container tests run, against the Docker engine's kernel"
    bash "$here/guest-tests.sh" "$reports" "$classpath" "$target/test-classes" \
      --select-package io.jipvs.it.containers || rc=$?
    ;;
  *) say "unknown JIPVS_IT_PROVIDER '$provider' (host, lab or containers)"; exit 2 ;;
esac

# The launcher's XML report is the record of what ran, wherever it ran.
xml=$reports/TEST-junit-jupiter.xml
if [ ! -f "$xml" ]; then
  say "no test report was written (launcher status $rc): the tests did not run"
  exit 1
fi
attr() { grep -o -m1 "<testsuite [^>]*" "$xml" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
tests=$(attr tests) failures=$(attr failures) errors=$(attr errors) skipped=$(attr skipped)
failed=$((failures + errors)) passed=$((tests - failures - errors - skipped))
say "kernel tests ran on provider '$provider'"
echo "kernel-tests: $passed passed, $failed failed, $skipped skipped"
if [ "$tests" -eq 0 ]; then say "no kernel test ran"; exit 1; fi
if [ "$failed" -gt 0 ] || [ "$rc" -ne 0 ]; then say "kernel tests failed (launcher status $rc)"; exit 1; fi
if [ "$skipped" -gt 0 ] && [ "${CI:-}" = true ]; then
  say "$skipped kernel tests were skipped; under CI every kernel test must run:"
  grep -B1 '<skipped' "$xml" | grep -o 'testcase name="[^"]*" classname="[^"]*"' >&2 || true
  exit 1
fi
