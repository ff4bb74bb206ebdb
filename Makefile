# jipvs — the user interface of the build. Everything a fresh Debian machine needs is installed by
# these targets themselves (the lab's packages through apt when run as root).
PREFIX ?= /usr/local
MVN ?= mvn -B -ntp
LAB := it-tests/lab/lab.sh

.PHONY: all build test unit lab clean

all: build

## build: compile and package everything (no tests)
build:
	$(MVN) -q -DskipTests -DskipITs package

## test: unit tests, then every kernel test on a real IPVS kernel (host namespaces or the QEMU lab)
test:
	$(MVN) verify

## unit: unit tests only (no kernel needed)
unit:
	$(MVN) -DskipITs verify

## lab: a shell inside the kernel lab, or `make lab CMD="ipvsadm -Ln"` to run one command there
lab:
ifdef CMD
	$(LAB) run -- sh -c '$(CMD)'
else
	$(LAB) shell
endif

## clean: remove build output (the lab's kernel cache in ~/.cache/jipvs-lab stays)
clean:
	$(MVN) -q clean

## demo: DR, TUN and NAT carrying real HTTP in namespaces (the QEMU lab, or this host if it has IPVS and root)
.PHONY: demo
demo:
	$(MVN) -q -DskipTests -DskipITs install
	@if [ "$$(id -u)" = 0 ] && { [ -e /proc/net/ip_vs ] || modprobe -q ip_vs 2>/dev/null; } && [ -e /proc/net/ip_vs ]; then \
		bash it-tests/lab/demo.sh; \
	else \
		$(LAB) run -- bash it-tests/lab/demo.sh; \
	fi
