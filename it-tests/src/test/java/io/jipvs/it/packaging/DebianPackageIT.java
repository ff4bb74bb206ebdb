package io.jipvs.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package `make test` built (packaging/deb.sh), installed with dpkg on this machine (in
 * the lab: the guest's writable layer over the host's root), used from where it installed itself,
 * run by a real systemd as its units say, and removed again with nothing left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {
    private static final List<String> UNITS = List.of("jipvs.service", "jipvs.socket", "jipvs-daemon.service",
            "jipvs-rules.service");

    static Path deb() throws IOException {
        try (Stream<Path> files = Files.list(Build.repository().resolve("packaging/target"))) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("jipvs_.*\\.deb")).toList();
            assertEquals(1, debs.size(), "one package built by make test: " + debs);
            return debs.get(0);
        }
    }

    /** The package's regular files, as dpkg lists them once it is installed. */
    private static final List<String> files = new ArrayList<>();

    @BeforeAll
    static void install() throws IOException {
        assertFalse(Exec.run("dpkg-query", "-W", "jipvs").exitCode() == 0,
                "a jipvs package is already installed on this machine; the test installs and removes its own");
        Exec.run("dpkg", "-i", deb().toString()).orThrow();
        for (String f : Exec.run("dpkg-query", "-L", "jipvs").orThrow().stdout().split("\n")) {
            if (Files.isRegularFile(Path.of(f))) {
                files.add(f);
            }
        }
    }

    /** Whatever failed above, the machine is left without the package. */
    @AfterAll
    static void purge() {
        if (Exec.run("dpkg-query", "-W", "jipvs").exitCode() == 0) {
            Exec.run("dpkg", "-P", "jipvs").orThrow();
        }
    }

    @Test
    @Order(1)
    void installsAWorkingJipvsWithManPagesCompletionAndUnitsSystemdAccepts() {
        installed(files);
    }

    @Test
    @Order(2)
    void unitsRunUnderSystemd() throws Exception {
        SystemdUnits.run();
    }

    @Test
    @Order(3)
    void removalTakesEveryFileAndPurgeTheConfiguration() {
        Exec.run("dpkg", "-r", "jipvs").orThrow();
        // Removed: every file but the configuration files, which only a purge takes.
        for (String f : files) {
            boolean conffile = f.startsWith("/etc/");
            assertEquals(conffile, Files.exists(Path.of(f)), f + " after dpkg -r");
        }
        assertFalse(Files.exists(Path.of("/usr/lib/jipvs")), "/usr/lib/jipvs after dpkg -r (postinst's CDS archive too)");
        Exec.run("dpkg", "-P", "jipvs").orThrow();
        assertFalse(Files.exists(Path.of("/etc/jipvs")), "/etc/jipvs after dpkg -P");
        assertFalse(Files.exists(Path.of("/etc/default/jipvs")), "/etc/default/jipvs after dpkg -P");
    }

    private static void installed(List<String> files) {
        // The command works from its installed path: help needs no IPVS, a listing is ipvsadm's.
        String help = Exec.run("/usr/sbin/jipvs", "help").orThrow().stdout();
        assertTrue(help.contains("\nSubcommands (jipvs SUBCOMMAND --help, or jipvs help SUBCOMMAND, for each):\n")
                && help.contains("\n  serve ") && help.contains("\n  rs-setup "), help);
        assertEquals(Exec.run("ipvsadm", "-Ln").orThrow().stdout(),
                Exec.run("env", "JIPVS_PROGRAM=ipvsadm", "/usr/sbin/jipvs", "-Ln").orThrow().stdout());
        assertTrue(files.contains("/usr/lib/jipvs/jipvs-client"), "jipvs-client installed: " + files);
        assertTrue(Files.isRegularFile(Path.of("/usr/lib/jipvs/jipvs.jsa")), "postinst made the CDS archive");

        // Every man page renders; jipvs(8) names every subcommand, each of which has its own page.
        List<String> pages = files.stream().filter(f -> f.startsWith("/usr/share/man/")).sorted().toList();
        assertTrue(pages.contains("/usr/share/man/man8/jipvs.8.gz") && pages.contains("/usr/share/man/man5/jipvs.yaml.5.gz"),
                pages.toString());
        for (String page : pages) {
            Exec.Result rendered = Exec.run("env", "MANWIDTH=100", "man", "-l", page).orThrow();
            assertTrue(rendered.stdout().contains("NAME") && rendered.stderr().isEmpty(), page + ": " + rendered);
        }
        String jipvs8 = Exec.run("env", "MANWIDTH=200", "man", "-l", "/usr/share/man/man8/jipvs.8.gz").orThrow().stdout();
        for (String sub : subcommands(help)) {
            assertTrue(jipvs8.contains(sub + " (jipvs-" + sub + "(8))"), sub + " in jipvs(8)");
            assertTrue(pages.contains("/usr/share/man/man8/jipvs-" + sub + ".8.gz"), "jipvs-" + sub + "(8)");
        }
        assertTrue(jipvs8.contains("--add-service     -A        add virtual service with options"), "ipvsadm's syntax in jipvs(8)");

        // bash completes subcommands, their options and ipvsadm's, from the installed script.
        String completion = "/usr/share/bash-completion/completions/jipvs";
        assertEquals("rs-setup rs-status rs-teardown", Completion.complete(completion, "jipvs rs-"));
        assertEquals("--log-format", Completion.complete(completion, "jipvs serve --log"));
        assertEquals("--sched-flags --scheduler", Completion.complete(completion, "jipvs -A -t 192.0.2.1:80 --sch"));
        assertEquals("dh fo lblc lblcr lc mh nq ovf rr sed sh twos wlc wrr",
                Completion.complete(completion, "jipvs -A -t 192.0.2.1:80 -s "));

        // systemd accepts every unit as installed (paths, executables, man pages of Documentation=).
        List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify"));
        UNITS.forEach(u -> verify.add("/usr/lib/systemd/system/" + u));
        Exec.Result verified = Exec.run(verify);
        assertEquals(new Exec.Result(0, "", ""), verified);
    }

    /** The subcommand names `jipvs help` lists. */
    private static List<String> subcommands(String help) {
        String list = help.substring(help.indexOf("\nSubcommands"));
        // The heading's own line (after the blank one before it) is not a subcommand.
        return list.lines().skip(2).map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split(" ")[0]).toList();
    }
}
