# jipvs — the user interface of the build. Everything a fresh Debian machine needs is installed by
# these targets themselves (the lab's packages through apt when run as root).
PREFIX ?= /usr/local
MVN ?= mvn -B -ntp
LAB := it-tests/lab/lab.sh

.PHONY: all build test unit it lab demo bench fuzz install install-lib man deb clean

all: build

## build: compile and package everything (no tests); also cli/target/jipvs, its jars and CDS archive
build:
	$(MVN) -q -DskipTests -DskipITs package

## install: everything an installed jipvs has (packaging/install.sh says where each file goes):
## launcher, jars and jipvs-client, systemd units, man pages, bash completion, docs, and the example
## /etc/jipvs/jipvs.yaml and /etc/default/jipvs (an existing one is kept); PREFIX, DESTDIR as usual
install: man
	sh packaging/install.sh "$(DESTDIR)" "$(PREFIX)"

## install-lib: the library (jipvs-model, -netlink, -control and their parent POM) with its sources
## and javadoc jars into the local Maven repository (mvn install, unit tests included)
install-lib:
	$(MVN) -DskipITs -pl .,model,netlink,control install

## man: the man pages in troff (packaging/target/man), rendered by asciidoctor from the Picocli model
man:
	test -f packaging/target/man/jipvs.8.adoc || $(MAKE) build
	sh packaging/man.sh

## deb: the Debian package packaging/target/jipvs_VERSION_ARCH.deb (dpkg-deb), installing under /usr
deb:
	test -f packaging/target/man/jipvs.8.adoc || $(MAKE) build
	sh packaging/deb.sh

## test: unit tests, then every kernel test on a real IPVS kernel (host namespaces or the QEMU lab)
test:
	$(MVN) verify

## unit: unit tests only (no kernel needed); `make unit TEST=IpvsadmParserTest` runs one class
## (Surefire's -Dtest: Class, Class#method, patterns)
unit:
	$(MVN) -DskipITs verify $(if $(TEST),-Dtest='$(TEST)' -Dsurefire.failIfNoSpecifiedTests=false)

## it: the kernel tests only (after a build); `make it CLASS=io.jipvs.it.ipvs.TableIT` runs one
## class, JIPVS_IT_SELECT any JUnit console selectors
it: build deb
	$(if $(CLASS),JIPVS_IT_SELECT='--select-class $(CLASS)') bash it-tests/lab/it.sh

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
demo: build
	$(LAB) auto -- bash it-tests/lab/demo.sh

## bench: ipvsadm vs jipvs CPU time on a 2,000 x 4 table (lab or host), and the codec under JMH
## (the bench module is built only here, with -Pbench, so that build and unit need no JMH)
bench:
	$(MVN) -q -Pbench -DskipTests -DskipITs package
	bash bench/scripts/bench.sh

# Every fuzz target as module:class#method. Jazzer fuzzes one target per JVM, so each runs alone.
FUZZ_TARGETS := \
	netlink:io.jipvs.netlink.internal.NetlinkMessageFuzzTest\#parse \
	netlink:io.jipvs.netlink.internal.AttributeReaderFuzzTest\#read \
	netlink:io.jipvs.netlink.ipvs.internal.IpvsCodecFuzzTest\#service \
	netlink:io.jipvs.netlink.ipvs.internal.IpvsCodecFuzzTest\#destination \
	netlink:io.jipvs.netlink.ipvs.internal.IpvsCodecFuzzTest\#daemon \
	netlink:io.jipvs.netlink.ipvs.internal.IpvsCodecFuzzTest\#timeouts \
	netlink:io.jipvs.netlink.ipvs.internal.IpvsCodecFuzzTest\#info \
	netlink:io.jipvs.netlink.route.internal.RouteCodecFuzzTest\#link \
	netlink:io.jipvs.netlink.route.internal.RouteCodecFuzzTest\#address \
	cli:io.jipvs.cli.ipvsadm.IpvsadmParserFuzzTest\#parse \
	cli:io.jipvs.cli.exec.RestorePlanFuzzTest\#plan
FUZZ_RUNS ?= 1000000

## fuzz: every fuzz target (Jazzer) for FUZZ_RUNS inputs each, `make fuzz FUZZ=IpvsCodec` only the
## matching ones; fails on any finding (saved as a regression input) or a target that ran fewer
fuzz:
	@mkdir -p target/fuzz; rc=0; \
	for t in $(FUZZ_TARGETS); do \
	  case $$t in *$(FUZZ)*) ;; *) continue ;; esac; \
	  module=$${t%%:*}; test=$${t#*:}; name=$${test##*.}; log=target/fuzz/$$name.log; \
	  corpus=$(CURDIR)/$$module/target/fuzz-corpus/$$name; mkdir -p "$$corpus"; \
	  echo "fuzz: $$test"; \
	  if ! $(MVN) -Pfuzz test -pl $$module -am -Dtest="$$test" -Dsurefire.failIfNoSpecifiedTests=false \
	      -Dfuzz.runs=$(FUZZ_RUNS) -Dfuzz.corpus="$$corpus" >"$$log" 2>&1; then \
	    echo "fuzz: $$test FAILED (finding or error), see $$log"; rc=1; continue; \
	  fi; \
	  runs=$$(sed -n 's/^Done \([0-9]*\) runs in.*/\1/p' "$$log"); \
	  echo "fuzz:   $$(grep -m1 '^Done [0-9]* runs' "$$log"), $$(grep -m1 'DONE *cov:' "$$log" | grep -o 'cov: .*corp: [^ ]*')"; \
	  if [ "$${runs:-0}" -lt $(FUZZ_RUNS) ]; then echo "fuzz: $$test ran fewer than $(FUZZ_RUNS) inputs, see $$log"; rc=1; fi; \
	done; exit $$rc
