# jipvs — the user interface of the build. Everything a fresh Debian machine needs is installed by
# these targets themselves (the lab's packages through apt when run as root).
PREFIX ?= /usr/local
MVN ?= mvn -B -ntp
LAB := it-tests/lab/lab.sh

.PHONY: all build test unit lab demo install clean

all: build

## build: compile and package everything (no tests); also cli/target/jipvs, its jars and CDS archive
build:
	$(MVN) -q -DskipTests -DskipITs package

## install: the launcher to $(PREFIX)/sbin/jipvs, its jars to $(PREFIX)/lib/jipvs (after build)
install:
	test -x cli/target/jipvs || $(MAKE) build
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/jipvs
	rm -f $(DESTDIR)$(PREFIX)/lib/jipvs/*.jar $(DESTDIR)$(PREFIX)/lib/jipvs/jipvs.jsa
	install -m 644 cli/target/lib/*.jar cli/target/lib/classpath $(DESTDIR)$(PREFIX)/lib/jipvs/
	install -m 755 cli/target/jipvs $(DESTDIR)$(PREFIX)/sbin/jipvs
	# The class-data sharing archive records jar paths, so it is dumped again where they now live.
	JIPVS_CDS_DUMP=1 $(DESTDIR)$(PREFIX)/sbin/jipvs >/dev/null 2>&1 || true

## demo: jipvs configures and lists services on a real IPVS kernel (the lab)
demo: build
	$(LAB) run -- sh -c 'ip netns add jipvs-demo && ip -n jipvs-demo link set lo up && \
	  J="ip netns exec jipvs-demo cli/target/jipvs" && set -x && \
	  $$J -A -t 192.168.1.10:80 -s rr && \
	  $$J -a -t 192.168.1.10:80 -r 10.1.1.1:80 -m -w 3 && \
	  $$J -a -t 192.168.1.10:80 -r 10.1.1.2:8080 -m && \
	  $$J -A -u 192.168.1.10:53 -s sh -b sh-port -o && \
	  $$J -Ln && $$J -Sn && ip netns exec jipvs-demo ipvsadm -Ln && $$J -Ln --json'

## test: unit tests, then every kernel test on a real IPVS kernel (host namespaces or the QEMU lab)
test:
	$(MVN) install

## unit: unit tests only (no kernel needed)
unit:
	$(MVN) -DskipITs install

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
