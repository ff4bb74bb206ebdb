package io.jipvs.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.Jipvs;
import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs that once crashed jipvs or ran away with its memory, on a real kernel: -R from an
 * endless line and from a large pipe under a 64 MiB heap (the launcher in a process of its own,
 * on the JVM path), ipvsadm's own reading of NUL bytes, long tokens and an unterminated last line
 * (compared with ipvsadm byte for byte), --netns on a restore line, and the real-server helpers
 * on interfaces whose names the sysctl keys must carry as they are.
 */
class BoundedInputIT {
    private Netns a;
    private Netns b;
    private Path dir;

    @BeforeEach
    void namespaces() throws IOException {
        a = Netns.create();
        b = Netns.create();
        dir = Files.createTempDirectory("jipvs-bounded");
    }

    @AfterEach
    void cleanup() {
        a.close();
        b.close();
        Exec.run("rm", "-rf", dir.toString());
    }

    /** {@code shell} run by bash with $0 the launcher, on the JVM path with a 64 MiB heap. */
    private static Exec.Result smallHeap(String shell, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", "JIPVS_DAEMON=off", "JAVA_TOOL_OPTIONS=-Xmx64m",
                "bash", "-c", shell, Build.launcher()));
        argv.addAll(List.of(args));
        return Exec.run(argv);
    }

    /** stderr without the JVM's note that it saw JAVA_TOOL_OPTIONS. */
    private static String errors(Exec.Result r) {
        return r.stderr().replaceAll("(?m)^Picked up JAVA_TOOL_OPTIONS:.*\n", "");
    }

    record Result(int status, String stdout, String stderr) {
    }

    /** jipvs in this JVM, named "ipvsadm" as the messages compared with ipvsadm's must be. */
    private static Result jipvs(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Jipvs.run("ipvsadm", args, new ByteArrayInputStream(stdin), o, e);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEndlessLineEndsPromptlyWithAClearErrorUnderASmallHeap() {
        long start = System.nanoTime();
        Exec.Result r = smallHeap("exec \"$0\" --netns \"$1\" -R </dev/zero", a.name());
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(2, r.exitCode(), r.stderr());
        assertEquals(Build.launcher() + ": line 1 of the restore input is longer than 65536 bytes\n", errors(r));
        assertEquals("", r.stdout());
        assertTrue(seconds < 60, "took " + seconds + " s");
        assertEquals("", a.ipvsadm("-Sn").orThrow().stdout());
    }

    @Test
    void aLargeRestoreStreamsThroughASmallHeap() {
        // 50,000 services with three real servers each: 200,000 lines, generated as they are read.
        String generate = "awk 'BEGIN { for (i = 0; i < 50000; i++) {"
                + " s = sprintf(\"10.%d.%d.%d:80\", 100 + int(i / 65536), int(i / 256) % 256, i % 256);"
                + " print \"-A -t \" s \" -s rr\";"
                + " for (d = 1; d <= 3; d++) print \"-a -t \" s \" -r 172.16.0.\" d \":8080 -m\" } }'";
        Exec.Result r = smallHeap(generate + " | \"$0\" --netns \"$1\" -R", a.name());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", errors(r));
        String saved = a.run("sh", "-c", "ipvsadm -Sn >\"$0\"; wc -l <\"$0\"; grep -c -- '^-a' \"$0\";"
                + " grep -F -- '-t 10.100.195.79:80 ' \"$0\"", dir.resolve("saved").toString()).orThrow().stdout();
        assertEquals("200000\n150000\n-A -t 10.100.195.79:80 -s rr\n"
                + "-a -t 10.100.195.79:80 -r 172.16.0.1:8080 -m -w 1\n"
                + "-a -t 10.100.195.79:80 -r 172.16.0.2:8080 -m -w 1\n"
                + "-a -t 10.100.195.79:80 -r 172.16.0.3:8080 -m -w 1\n", saved);
    }

    /** -R of {@code input} with ipvsadm in namespace a and jipvs in b: output, status and table equal. */
    private void sameAsIpvsadm(byte[] input) throws IOException {
        Path file = Files.write(dir.resolve("input"), input);
        Exec.Result expected = a.run("sh", "-c", "ipvsadm -R <\"$0\"", file.toString());
        Result actual = jipvs(input, "--netns", b.name(), "-R");
        String what = new String(input, StandardCharsets.ISO_8859_1).replace("\0", "\\0");
        assertEquals(new Result(expected.exitCode(), expected.stdout(), expected.stderr()), actual, what);
        assertEquals(a.ipvsadm("-Sn").orThrow().stdout(), b.ipvsadm("-Sn").orThrow().stdout(), what);
        a.ipvsadm("-C").orThrow();
        b.ipvsadm("-C").orThrow();
    }

    @Test
    void restoreLinesAreReadAsIpvsadmReadsThem() throws IOException {
        // The issue's inputs: a NUL inside -s or --pe ends the name there, and the kernel refuses it.
        sameAsIpvsadm("-A -t 10.0.0.1:80 -s r\0r\n-A -t 10.0.0.2:80\n".getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm("-A -t 10.0.0.1:80 --pe s\0ip\n-A -t 10.0.0.2:80\n".getBytes(StandardCharsets.ISO_8859_1));
        // A NUL ends its token, not its line; a token that is only a NUL is an empty argument.
        sameAsIpvsadm("-A -t 10.0.0.1:80 -s rr\0x -p 300\n".getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm("-A -t 10.0.0.1:80 \0-s rr -p 300\n-A -t 10.0.0.2:80\n".getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm("-A -t 10.0.0.1:80 -p \0 300\n".getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm("ipvsadm\0x -A -t 10.0.0.3:80\n".getBytes(StandardCharsets.ISO_8859_1));
        // More than 4096 bytes without a blank are several arguments.
        sameAsIpvsadm(("-A -t 10.0.0.5:80 -s rr -p " + "0".repeat(4095) + "3 \n-A -t 10.0.0.6:80\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm(("-A -t 10.0.0.5:80 -s rr -p " + "1".repeat(4096) + "3\n-A -t 10.0.0.6:80\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm(("-A -t 10.0.0.5:80 -s " + "x".repeat(5000) + "\n-A -t 10.0.0.6:80\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        // A last line without LF: kept after one blank, dropped after two.
        sameAsIpvsadm("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 ".getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80 \t".getBytes(StandardCharsets.ISO_8859_1));
        sameAsIpvsadm("-A -t 10.0.0.1:80\n-A -t 10.0.0.2:80".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void netnsOnARestoreLineIsRefusedAndNothingLandsAnywhere() {
        String own = Exec.run("ipvsadm", "-Sn").orThrow().stdout();
        Result r = jipvs(("-A -t 10.6.0.1:80\n-A -t 10.6.0.2:80 --netns " + b.name() + "\n-A -t 10.6.0.3:80\n")
                .getBytes(StandardCharsets.UTF_8), "--netns", a.name(), "-R");
        assertEquals(new Result(2, "", "ipvsadm: --netns is not allowed in restore input (line 2); give it to -R"
                + " itself\n"), r);
        assertEquals("-A -t 10.6.0.1:80 -s wlc\n", a.ipvsadm("-Sn").orThrow().stdout());
        assertEquals("", b.ipvsadm("-Sn").orThrow().stdout());
        assertEquals(own, Exec.run("ipvsadm", "-Sn").orThrow().stdout());
    }

    private static Result helper(String... args) {
        return jipvs(new byte[0], args);
    }

    @Test
    void realServerHelpersWorkOnInterfacesWithAnyLegalName() {
        a.run("ip", "link", "add", "a,b", "type", "dummy").orThrow();
        a.run("ip", "link", "add", "c$d", "type", "dummy").orThrow();
        a.run("ip", "link", "add", "e.f", "type", "dummy").orThrow();
        String state = dir.resolve("state").toString();
        Result setup = helper("rs-setup", "--netns", a.name(), "--state-dir", state, "--vip", "10.7.0.1", "--dev", "a,b");
        assertEquals(0, setup.status(), setup.stderr());
        assertTrue(a.run("ip", "-o", "addr", "show", "dev", "a,b").orThrow().stdout().contains("inet 10.7.0.1/32"));
        assertEquals("1\n", a.run("cat", "/proc/sys/net/ipv4/conf/a,b/arp_ignore").orThrow().stdout());
        assertEquals("2\n", a.run("cat", "/proc/sys/net/ipv4/conf/a,b/arp_announce").orThrow().stdout());
        Result setup2 = helper("rs-setup", "--netns", a.name(), "--state-dir", state, "--vip", "10.7.0.2", "--dev", "e.f");
        assertEquals(0, setup2.status(), setup2.stderr());
        assertEquals("1\n", a.run("cat", "/proc/sys/net/ipv4/conf/e.f/arp_ignore").orThrow().stdout());
        Result status = helper("rs-status", "--netns", a.name(), "--state-dir", state);
        assertEquals(0, status.status(), status.stdout() + status.stderr());
        assertTrue(status.stdout().contains("10.7.0.1") && status.stdout().contains("a,b"), status.stdout());
        Result teardown = helper("rs-teardown", "--netns", a.name(), "--state-dir", state, "--all");
        assertEquals(0, teardown.status(), teardown.stderr());
        assertEquals("0\n", a.run("cat", "/proc/sys/net/ipv4/conf/a,b/arp_ignore").orThrow().stdout());
        assertEquals("0\n", a.run("cat", "/proc/sys/net/ipv4/conf/e.f/arp_ignore").orThrow().stdout());
        assertFalse(a.run("ip", "-o", "addr", "show", "dev", "a,b").orThrow().stdout().contains("10.7.0.1"));
    }

    @Test
    void theBroadcastAddressIsNoVip() {
        String state = dir.resolve("state").toString();
        String before = a.run("ip", "-o", "addr").orThrow().stdout();
        for (String vip : new String[] {"255.255.255.255", "0.0.0.0", "224.0.0.5", "::", "ff02::1"}) {
            Result r = helper("rs-setup", "--netns", a.name(), "--state-dir", state, "--vip", vip);
            assertEquals(new Result(2, "", "rs-setup: VIP " + vip + " is not a unicast service address\n"), r);
        }
        assertEquals(before, a.run("ip", "-o", "addr").orThrow().stdout());
    }
}
