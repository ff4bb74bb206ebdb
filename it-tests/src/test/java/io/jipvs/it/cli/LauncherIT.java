package io.jipvs.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real launcher (cli/target/jipvs, built by `make build`) in a process of its own: output
 * and status against ipvsadm, argv[0] in messages, --json and --netns, and the CPU time of
 * `-Ln` on an empty table against ipvsadm's (printed for the report). Few tests: each JVM start
 * costs seconds under the lab's emulation.
 */
class LauncherIT {
    private static Netns ns;
    private static String launcher;

    @BeforeAll
    static void setUp() {
        ns = Netns.create();
        launcher = Build.launcher();
        assertTrue(Files.isExecutable(Path.of(launcher)), "no launcher at " + launcher + " (make build)");
    }

    @AfterAll
    static void tearDown() {
        ns.close();
    }

    @Test
    void listsAnEmptyTableLikeIpvsadmAndReportsItsStartupCost() {
        Exec.Result expected = ns.ipvsadm("-Ln").orThrow();
        Exec.Result actual = ns.run(launcher, "-Ln");
        assertEquals(expected, actual);
        String timing = "TIMEFORMAT='%3U %3S'; for i in 1 2 3 4 5; do time \"$@\" -Ln >/dev/null; done";
        Exec.Result j = ns.run("bash", "-c", timing, "t", launcher).orThrow();
        Exec.Result i = ns.run("bash", "-c", timing, "t", "ipvsadm").orThrow();
        System.out.println("start-up, CPU seconds (user sys) of `-Ln` on an empty table, 5 runs each:");
        System.out.println("  jipvs:\n" + j.stderr().indent(4) + "  ipvsadm:\n" + i.stderr().indent(4));
    }

    @Test
    void namesItselfInMessagesAndExitsLikeIpvsadm() {
        Exec.Result expected = ns.ipvsadm("-s", "rr");
        Exec.Result actual = ns.run(launcher, "-s", "rr");
        assertEquals(255, actual.exitCode());
        assertEquals(expected.stderr().replace("ipvsadm", launcher), actual.stderr());
        Exec.Result bad = ns.run(launcher, "-A", "-t", "1234");
        assertEquals(2, bad.exitCode());
        assertEquals("illegal virtual server address[:port] specified\n", bad.stderr());
    }

    @Test
    void changesTheTableOfAnotherNamespaceAndListsItAsJson() {
        Exec.Result added = Exec.run(launcher, "--netns", ns.name(), "-A", "-t", "10.9.0.1:80", "-s", "rr");
        assertEquals(0, added.exitCode(), added.stderr());
        assertEquals("-A -t 10.9.0.1:80 -s rr\n", ns.ipvsadm("-Sn").orThrow().stdout());
        Exec.Result json = Exec.run(launcher, "--netns", ns.name(), "-Ln", "--json").orThrow();
        assertTrue(json.stdout().contains("\"address\" : \"10.9.0.1\""), json.stdout());
        assertTrue(json.stdout().contains("\"scheduler\" : \"rr\""), json.stdout());
        Exec.Result rejected = Exec.run(launcher, "--netns", ns.name(), "-C", "--json");
        assertEquals(2, rejected.exitCode());
        assertEquals("Illegal 'json' option with the 'flush' command\n", rejected.stderr());
        ns.ipvsadm("-C").orThrow();
    }
}
