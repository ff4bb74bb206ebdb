package io.jipvs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JipvsTest {
    @Test
    void aLineWithOnlyTheNamespaceListsItsTable() {
        assertTrue(Jipvs.onlyNetns(List.of()));
        assertTrue(Jipvs.onlyNetns(List.of("--netns", "blue")));
        assertTrue(Jipvs.onlyNetns(List.of("--netns=blue")));
        assertFalse(Jipvs.onlyNetns(List.of("--netns=blue", "-L")));
        assertFalse(Jipvs.onlyNetns(List.of("--netns"))); // popt: missing argument
        assertFalse(Jipvs.onlyNetns(List.of("-n")));
    }

    @Test
    void anAtFileArgumentIsNeverExpanded(@TempDir Path dir) throws IOException {
        // Picocli's @file expansion would put the file's lines on the command line, and its
        // "Unmatched argument" error would print them: a sudo rule for rs-status leaks files.
        Path secret = Files.writeString(dir.resolve("secret"), "the-secret-line\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jipvs.run(new String[] {"rs-status", "@" + secret}, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, text);
        assertFalse(text.contains("the-secret-line"), text);
        assertTrue(text.contains("@" + secret), text);
    }

    @Test
    void netnsIsANameUnderRunNetnsOrAPath() {
        assertEquals(Path.of("/run/netns/blue"), Jipvs.netns(List.of("-L", "--netns=blue")));
        assertEquals(Path.of("/run/netns/blue"), Jipvs.netns(List.of("--netns", "blue", "-L")));
        assertEquals(Path.of("/proc/1/ns/net"), Jipvs.netns(List.of("--netns", "/proc/1/ns/net")));
        assertNull(Jipvs.netns(List.of("-L")));
        assertTrue(Jipvs.readsStdin(List.of("--netns=x", "-R")));
    }

    @Test
    void helpListsIpvsadmsSyntaxAndEverySubcommandWithoutNeedingIpvs() {
        Ran help = run("jipvs", "help");
        assertEquals(0, help.status(), help.err());
        String ipvsadmHelp = io.jipvs.cli.ipvsadm.Usage.help("jipvs");
        // ipvsadm's -h text, after jipvs's own version line.
        assertTrue(help.out().startsWith("jipvs " + io.jipvs.cli.ipvsadm.Usage.jipvsVersion() + "\n" + ipvsadmHelp),
                help.out());
        for (Class<?> c : JipvsCommand.SUBCOMMANDS) {
            picocli.CommandLine.Command a = c.getAnnotation(picocli.CommandLine.Command.class);
            assertTrue(a.header().length == 1 && !a.header()[0].isBlank(), a.name() + " has no one-line header");
            assertTrue(help.out().contains("\n  " + a.name() + " ") && help.out().contains(a.header()[0] + "\n"),
                    a.name() + " missing from: " + help.out());
        }
        assertEquals(help, run("jipvs", "--help-all"));
        Ran one = run("jipvs", "help", "rs-status");
        assertEquals(run("jipvs", "rs-status", "--help").out(), one.out());
        Ran unknown = run("jipvs", "help", "nope");
        assertEquals(2, unknown.status());
        assertEquals("jipvs help: no subcommand 'nope' (jipvs help lists them)\n", unknown.err());
    }

    @Test
    void versionNamesJipvsAndTheIpvsadmItMirrorsButIsIpvsadmsLineWhenInvokedAsIpvsadm() {
        String ipvsadm = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n";
        String jipvs = "jipvs " + io.jipvs.cli.ipvsadm.Usage.jipvsVersion() + "\n" + ipvsadm;
        assertTrue(io.jipvs.cli.ipvsadm.Usage.jipvsVersion().matches("\\d+\\.\\d+\\.\\d+.*"));
        assertEquals(new Ran(0, jipvs, ""), run("jipvs", "--version"));
        assertEquals(new Ran(0, jipvs, ""), run("/usr/sbin/jipvs", "-v"));
        assertEquals(run("jipvs", "--version").out(), run("jipvs", "serve", "--version").out());
        assertEquals(ipvsadm, io.jipvs.cli.ipvsadm.Usage.version("/sbin/ipvsadm"));
        assertEquals(ipvsadm, io.jipvs.cli.ipvsadm.Usage.version("ipvsadm"));
    }

    private record Ran(int status, String out, String err) {
    }

    private static Ran run(String program, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Jipvs.run(program, args, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
