package io.jipvs.it.desired;

import static io.jipvs.it.desired.Apply.jipvs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jipvs apply, diff and export on a real IPVS table, with the real ipvsadm as the oracle for what
 * the kernel holds and strace for what was sent. Each test works in its own namespace, whose
 * ownership record is its own (the record is named by the namespace's cookie).
 */
class ApplyIT {
    static final String WEB = """
            services:
              - name: web
                protocol: tcp
                address: 192.0.2.10
                port: 80
                scheduler: wrr
                forwarding: nat
                realServers:
                  - address: 10.0.0.11
                    weight: 3
                  - address: 10.0.0.12
                    port: 8080
              - protocol: udp
                address: 192.0.2.10
                port: 53
                realServers:
                  - { address: 10.0.0.11, forwarding: tun, tunnel: { type: gue, port: 6080 } }
              - fwmark: 7
                family: inet6
                scheduler: sh
                schedulerFlags: [sh-port]
                persistence: { timeout: 600, netmask: 64 }
            timeouts: { tcpFin: 60 }
            """;
    static final String WEB_RULES = """
            -A -t 192.0.2.10:80 -s wrr
            -a -t 192.0.2.10:80 -r 10.0.0.11:80 -m -w 3
            -a -t 192.0.2.10:80 -r 10.0.0.12:8080 -m -w 1
            -A -u 192.0.2.10:53 -s wlc
            -a -u 192.0.2.10:53 -r 10.0.0.11:53 -i -w 1 --tun-type gue --tun-port 6080
            -A -f 7 -6 -s sh -p 600 -M 64 -b sh-port
            """;

    static Path webFile;

    @BeforeAll
    static void files() {
        webFile = Apply.file(WEB);
    }

    @AfterAll
    static void remove() throws Exception {
        Files.deleteIfExists(webFile);
    }

    /** The table as ipvsadm -R of the same rules leaves it, in a namespace of its own. */
    static String expectedTable() {
        try (Netns oracle = Netns.create()) {
            Exec.Result r = Exec.run("sh", "-c", "printf '%s' \"$1\" | ip netns exec \"$0\" ipvsadm -R", oracle.name(),
                    WEB_RULES);
            r.orThrow();
            return oracle.ipvsadm("-Sn").orThrow().stdout();
        }
    }

    @Test
    void applyFromEmptyBuildsTheFilesTableAndApplyingAgainSendsNoChange() throws Exception {
        try (Netns ns = Netns.create()) {
            Path first = Files.createTempFile("strace", ".log");
            Path second = Files.createTempFile("strace", ".log");
            try {
                Exec.Result r = Apply.traced(ns, first, null, "apply", "-f", webFile.toString());
                assertEquals(0, r.exitCode(), r.toString());
                assertTrue(r.stdout().contains("+ TCP 192.0.2.10:80 wrr"), r.stdout());
                assertEquals(expectedTable(), ns.ipvsadm("-Sn").orThrow().stdout());
                assertEquals("Timeout (tcp tcpfin udp): 900 60 300\n", ns.ipvsadm("-Ln", "--timeout").orThrow().stdout());
                List<String> sends = Apply.changeSends(first);
                assertEquals(1, sends.size(), "the changes go in one batch, one send call:\n" + String.join("\n", sends));

                Exec.Result again = Apply.traced(ns, second, null, "apply", "-f", webFile.toString());
                assertEquals(0, again.exitCode(), again.toString());
                assertEquals("nothing to do\n", again.stdout());
                assertEquals(List.of(), Apply.changeSends(second), "a second apply changes nothing");
                Exec.Result diff = jipvs(ns, null, "diff", "-f", webFile.toString());
                assertEquals(0, diff.exitCode(), diff.toString());
            } finally {
                Files.deleteIfExists(first);
                Files.deleteIfExists(second);
            }
        }
    }

    @Test
    void applyRepairsWhatIpvsadmChangedBehindItsBack() {
        try (Netns ns = Netns.create()) {
            jipvs(ns, null, "apply", "-f", webFile.toString()).orThrow();
            ns.ipvsadm("-d", "-t", "192.0.2.10:80", "-r", "10.0.0.11:80").orThrow();
            ns.ipvsadm("-E", "-t", "192.0.2.10:80", "-s", "rr").orThrow();
            Exec.Result diff = jipvs(ns, null, "diff", "-f", webFile.toString());
            assertEquals(1, diff.exitCode(), diff.toString());
            assertEquals("~ TCP 192.0.2.10:80 scheduler rr → wrr\n+ TCP 192.0.2.10:80 -> 10.0.0.11:80 nat weight 3\n",
                    diff.stdout());
            jipvs(ns, null, "apply", "-f", webFile.toString()).orThrow();
            assertEquals(expectedTable(), ns.ipvsadm("-Sn").orThrow().stdout());
        }
    }

    @Test
    void aServiceMadeByIpvsadmSurvivesOwnedAndNoneAndOnlyAllTakesItOver() {
        try (Netns ns = Netns.create()) {
            ns.ipvsadm("-A", "-t", "198.51.100.1:443", "-s", "rr").orThrow();
            ns.ipvsadm("-a", "-t", "198.51.100.1:443", "-r", "10.9.9.9", "-g").orThrow();
            jipvs(ns, null, "apply", "-f", webFile.toString()).orThrow();
            Path empty = Apply.file("services: []\n");
            try {
                Exec.Result diff = jipvs(ns, null, "diff", "-f", empty.toString());
                assertTrue(diff.stdout().contains("not managed TCP 198.51.100.1:443"), diff.stdout());
                assertTrue(diff.stdout().contains("- TCP 192.0.2.10:80"), diff.stdout());
                Exec.Result none = jipvs(ns, null, "apply", "--prune=none", "-f", empty.toString()).orThrow();
                assertTrue(none.stdout().contains("not managed TCP 192.0.2.10:80"), none.stdout());
                String afterNone = ns.ipvsadm("-Sn").orThrow().stdout();
                assertTrue(afterNone.contains("-A -t 198.51.100.1:443 -s rr") && afterNone.contains("192.0.2.10"),
                        "none deletes nothing: " + afterNone);
                jipvs(ns, null, "apply", "-f", empty.toString()).orThrow();
                assertEquals("-A -t 198.51.100.1:443 -s rr\n-a -t 198.51.100.1:443 -r 10.9.9.9:443 -g -w 1\n",
                        ns.ipvsadm("-Sn").orThrow().stdout(), "owned: jipvs's services gone, ipvsadm's intact");
                jipvs(ns, null, "apply", "--prune=all", "-f", empty.toString()).orThrow();
                assertEquals("", ns.ipvsadm("-Sn").orThrow().stdout());
            } finally {
                delete(empty);
            }
        }
    }

    @Test
    void exportIsAFileWhoseApplyChangesNothing() {
        try (Netns ns = Netns.create()) {
            ns.ipvsadm("-A", "-t", "198.51.100.1:443", "-s", "rr", "-p", "120").orThrow();
            ns.ipvsadm("-a", "-t", "198.51.100.1:443", "-r", "10.9.9.9", "-g").orThrow();
            jipvs(ns, null, "apply", "-f", webFile.toString()).orThrow();
            String yaml = jipvs(ns, null, "export").orThrow().stdout();
            String json = jipvs(ns, null, "export", "--json").orThrow().stdout();
            assertTrue(json.startsWith("{"), json);
            assertEquals("nothing to do\n", jipvs(ns, yaml, "apply", "-f", "-").orThrow().stdout());
            assertEquals("nothing to do\n", jipvs(ns, json, "apply", "--prune=all", "-f", "-").orThrow().stdout());
            String rules = ns.ipvsadm("-Sn").orThrow().stdout();
            assertEquals("nothing to do\n", jipvs(ns, rules, "apply", "--prune=all", "-f", "-").orThrow().stdout(),
                    "an ipvsadm rules file (ipvsadm -Sn) is read as the same table");
            ns.ipvsadm("-e", "-t", "198.51.100.1:443", "-r", "10.9.9.9", "-g", "-x", "100", "-y", "50").orThrow();
            // A service the file names is managed, whoever made it: its real server is edited back.
            assertEquals("~ TCP 198.51.100.1:443 -> 10.9.9.9:443 upperThreshold 100 → 0, lowerThreshold 50 → 0\n",
                    jipvs(ns, yaml, "apply", "-f", "-").orThrow().stdout());
        }
    }

    @Test
    void anIpvsadmRulesFileAppliedGivesWhatIpvsadmRestoreGives() {
        try (Netns ns = Netns.create()) {
            Exec.Result r = jipvs(ns, "# /etc/ipvsadm.rules\n" + WEB_RULES, "apply", "-f", "-");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(expectedTable(), ns.ipvsadm("-Sn").orThrow().stdout());
            Exec.Result bad = jipvs(ns, "-A -t 192.0.2.10:80\n-a -t 192.0.2.99:80 -r 10.0.0.1\n", "apply", "--format",
                    "ipvsadm", "-f", "-");
            assertEquals(2, bad.exitCode(), bad.toString());
            assertEquals("-:2: Service not defined\n", bad.stderr());
        }
    }

    @Test
    void diffExitsZeroForNothingOneForChangesTwoForErrors() {
        try (Netns ns = Netns.create()) {
            assertEquals(1, jipvs(ns, null, "diff", "-f", webFile.toString()).exitCode());
            jipvs(ns, null, "apply", "-f", webFile.toString()).orThrow();
            assertEquals(0, jipvs(ns, null, "diff", "-f", webFile.toString()).exitCode());
            Exec.Result invalid = jipvs(ns, "services: [ { protocol: tcp } ]\n", "diff", "-f", "-");
            assertEquals(2, invalid.exitCode(), invalid.toString());
            Exec.Result json = jipvs(ns, "services: []\n", "diff", "--json", "-f", "-");
            assertEquals(1, json.exitCode(), json.toString());
            assertTrue(json.stdout().contains("\"op\" : \"delete-service\""), json.stdout());
            assertEquals(2, jipvs(ns, null, "diff", "--netns", "no-such-namespace", "-f", webFile.toString()).exitCode());
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
