package io.jipvs.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -L -c} with live connections: the corpus cannot make traffic, so here datagrams from the
 * namespace itself create real connection entries (and persistence templates), and jipvs must
 * list them exactly as ipvsadm does. Only the expire column is masked: it ticks every second.
 * UDP only, so no entry expires between the two listings (UDP 5 min, templates 60 s).
 */
class ConnectionListingIT {
    private static Netns ns;

    @BeforeAll
    static void connections() {
        ns = Netns.create();
        ns.ipvsadm("-A", "-u", "10.8.0.1:53", "-s", "rr").orThrow();
        ns.ipvsadm("-a", "-u", "10.8.0.1:53", "-r", "10.8.1.1:53", "-m").orThrow();
        ns.ipvsadm("-A", "-u", "10.8.0.1:54", "-s", "rr", "-p", "60").orThrow();
        ns.ipvsadm("-a", "-u", "10.8.0.1:54", "-r", "10.8.1.2:54", "-m").orThrow();
        ns.run("ip", "addr", "add", "10.8.0.1/32", "dev", "lo").orThrow();
        ns.run("bash", "-c", "for p in 53 53 53 54 54; do echo ping >/dev/udp/10.8.0.1/$p; done").orThrow();
    }

    @AfterAll
    static void cleanUp() {
        ns.close();
    }

    private static String masked(String listing) {
        return listing.replaceAll(" \\d\\d:\\d\\d ", " MM:SS ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Lnc", "-Lc", "-L -n -c --persistent-conn", "-Lnc --exact", "-L -n -c --sort"})
    void listsLiveConnectionsAsIpvsadm(String line) {
        List<String> args = Arrays.asList(line.split(" "));
        Exec.Result expected = ns.ipvsadm(args.toArray(String[]::new));
        DifferentialIT.Result actual = DifferentialIT.jipvs(ns, args, null);
        assertEquals(0, expected.exitCode(), expected.stderr());
        // Five datagrams: three UDP connections on :53, two on :54 and their persistence template.
        assertTrue(expected.stdout().lines().count() >= 2 + 6, expected.stdout());
        assertEquals(masked(expected.stdout()), masked(actual.stdout()));
        assertEquals(expected.stderr(), actual.stderr());
        assertEquals(expected.exitCode(), actual.status());
    }
}
