package io.jipvs.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The installed units under a real systemd (see {@link Systemd}), against the IPVS table of its
 * network namespace with the real ipvsadm as the oracle:
 * <ul>
 * <li>jipvs.service is Type=notify: `systemctl start` returns once serve has applied the file, and
 *     `systemctl reload` once the new file is in force and the kernel repaired; it pings the
 *     watchdog; stopping it leaves the table.</li>
 * <li>jipvs.socket starts jipvs-daemon.service at the first jipvs command, which it runs.</li>
 * <li>jipvs-rules.service restores /etc/jipvs/rules (comments and all) and, when told, saves the
 *     table there when stopped.</li>
 * </ul>
 */
final class SystemdUnits {
    private static final Path CONFIG = Path.of("/etc/jipvs/jipvs.yaml");
    private static final Path RULES = Path.of("/etc/jipvs/rules");
    private static final Path DEFAULTS = Path.of("/etc/default/jipvs");

    private SystemdUnits() {
    }

    static void run() throws Exception {
        Path units = Files.createTempDirectory("jipvs-units");
        // This systemd shares the machine's root filesystem and network namespace, so what a boot
        // does (sysinit.target empties /tmp and applies sysctl.d; network-online.target brings up
        // interfaces) must not run: the units lose their default dependencies on sysinit.target
        // here, and those targets' jobs are masked. What is tested (notify, reload, watchdog,
        // activation, restore and save) does not depend on them.
        for (String masked : List.of("network-online.target", "sysinit.target", "systemd-tmpfiles-setup.service",
                "systemd-tmpfiles-clean.timer", "systemd-sysctl.service", "networking.service")) {
            Files.createSymbolicLink(units.resolve(masked), Path.of("/dev/null"));
        }
        String noDefaults = "[Unit]\nDefaultDependencies=no\n";
        // A watchdog short enough to watch, the daemon telling what it ran, and both JVMs C1-only as
        // every lab test runs them (the JIT's code patching has crashed JVMs under QEMU's emulated
        // CPUs; see docs/serve.md).
        String c1 = "Environment=JIPVS_JAVA_OPTS=-XX:TieredStopAtLevel=1\n";
        dropIn(units, "jipvs.service", noDefaults + "[Service]\nWatchdogSec=4s\n" + c1);
        dropIn(units, "jipvs-daemon.service", noDefaults + """
                [Service]
                ExecStart=
                ExecStart=/usr/sbin/jipvs daemon --verbose
                StandardError=append:/run/jipvs-daemon.log
                """ + c1);
        dropIn(units, "jipvs.socket", noDefaults);
        dropIn(units, "jipvs-rules.service", noDefaults);
        byte[] config = Files.readAllBytes(CONFIG);
        byte[] defaults = Files.readAllBytes(DEFAULTS);
        try (Systemd systemd = Systemd.boot(units)) {
            serve(systemd);
            commandSocket(systemd);
            rules(systemd);
        } finally {
            Files.write(CONFIG, config);
            Files.write(DEFAULTS, defaults);
            Files.deleteIfExists(RULES);
            Files.deleteIfExists(Path.of("/etc/jipvs/rules.new"));
            delete(units);
        }
    }

    private static void serve(Systemd systemd) throws Exception {
        Files.writeString(CONFIG, web("{ address: 10.9.0.1 }"));
        // Type=notify: start returns at READY=1, which serve sends once the file is applied.
        systemd.systemctl("start", "jipvs.service");
        assertTrue(systemd.run("ipvsadm", "-Ln").orThrow().stdout().contains("TCP  192.0.2.80:80 wlc\n  -> 10.9.0.1:80"),
                "applied before READY=1: " + systemd.run("ipvsadm", "-Ln").stdout() + systemd.status());
        assertEquals("1 services", systemd.property("jipvs.service", "StatusText"));

        // reload returns once the reload's reconcile has run: a real server deleted behind serve's
        // back (which no file watcher sees, and the periodic repair would take a minute to find) is
        // back, and the file's new one is in, when it returns.
        systemd.run("ipvsadm", "-d", "-t", "192.0.2.80:80", "-r", "10.9.0.1:80").orThrow();
        Files.writeString(CONFIG, web("{ address: 10.9.0.1 }, { address: 10.9.0.2 }"));
        systemd.systemctl("reload", "jipvs.service");
        String reloaded = systemd.run("ipvsadm", "-Ln").orThrow().stdout();
        assertTrue(reloaded.contains("  -> 10.9.0.1:80") && reloaded.contains("  -> 10.9.0.2:80"),
                "in force and repaired when reload returns: " + reloaded + systemd.status());

        // WATCHDOG=1 every 2 s (WatchdogSec=4s): the timestamp moves on, and systemd never kills it.
        String ping = systemd.property("jipvs.service", "WatchdogTimestampMonotonic");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (systemd.property("jipvs.service", "WatchdogTimestampMonotonic").equals(ping)) {
            assertTrue(System.nanoTime() < deadline, "no watchdog ping in 20 s: " + systemd.status());
            Thread.sleep(200);
        }
        Thread.sleep(9_000);
        assertEquals("active", systemd.property("jipvs.service", "ActiveState"), systemd.status());
        assertEquals("0", systemd.property("jipvs.service", "NRestarts"), systemd.status());

        // Stopping serve leaves the table: a restart must not drop traffic.
        systemd.systemctl("stop", "jipvs.service");
        assertTrue(systemd.run("ipvsadm", "-Ln").orThrow().stdout().contains("  -> 10.9.0.2:80"), systemd.status());
    }

    private static String web(String realServers) {
        return "services:\n  - { name: web, protocol: tcp, address: 192.0.2.80, port: 80, realServers: [ " + realServers
                + " ] }\n";
    }

    private static void commandSocket(Systemd systemd) {
        systemd.systemctl("start", "jipvs.socket");
        assertEquals("inactive", systemd.property("jipvs-daemon.service", "ActiveState"));
        // The first command starts the daemon and is run by it (the client finds daemon.sock, the
        // socket systemd listens on, because it is in PID 1's network namespace). It waits for the
        // daemon's JVM as long as that takes under emulation, instead of its usual 3 s.
        assertEquals(systemd.run("ipvsadm", "-Ln").orThrow(), listed(systemd));
        assertEquals("active", systemd.property("jipvs-daemon.service", "ActiveState"), systemd.status());
        // Stopped, the daemon leaves systemd's socket working: the next command starts another.
        systemd.systemctl("stop", "jipvs-daemon.service");
        assertEquals(systemd.run("ipvsadm", "-Ln").orThrow(), listed(systemd));
        String log = systemd.run("cat", "/run/jipvs-daemon.log").stdout();
        assertEquals(2, log.lines().filter(l -> l.startsWith("jipvs daemon: serving the socket systemd passed (descriptor 3)"))
                .count(), log);
        assertEquals(2, countServed(log), log);
        systemd.systemctl("stop", "jipvs.socket", "jipvs-daemon.service");
    }

    private static Exec.Result listed(Systemd systemd) {
        return systemd.run("env", "JIPVS_DAEMON_WAIT_MS=600000", "JIPVS_PROGRAM=ipvsadm", "/usr/sbin/jipvs", "-Ln");
    }

    /** The commands the daemon's log says it ran: "pid N: -Ln -> 0". */
    private static long countServed(String log) {
        return log.lines().filter(l -> l.matches("jipvs daemon: pid \\d+: -Ln -> 0")).count();
    }

    private static void rules(Systemd systemd) throws IOException {
        // As Debian's /etc/ipvsadm.rules: a comment first, which ipvsadm -R itself would refuse.
        Files.writeString(RULES, "# jipvs rules\n-A -t 192.0.2.81:80 -s rr\n-a -t 192.0.2.81:80 -r 10.9.0.3:80 -g -w 1\n");
        Files.writeString(DEFAULTS, "SAVE_ON_STOP=yes\n");
        systemd.systemctl("start", "jipvs-rules.service");
        // Cleared first (serve's service is gone), then restored.
        assertEquals("-A -t 192.0.2.81:80 -s rr\n-a -t 192.0.2.81:80 -r 10.9.0.3:80 -g -w 1\n",
                systemd.run("ipvsadm", "-Sn").orThrow().stdout(), systemd.status());
        systemd.run("ipvsadm", "-a", "-t", "192.0.2.81:80", "-r", "10.9.0.4:80", "-g", "-w", "2").orThrow();
        systemd.systemctl("stop", "jipvs-rules.service");
        assertEquals(systemd.run("ipvsadm", "-Sn").orThrow().stdout(), Files.readString(RULES), systemd.status());
    }

    private static void dropIn(Path units, String unit, String text) throws IOException {
        Files.writeString(Files.createDirectories(units.resolve(unit + ".d")).resolve("test.conf"), text);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
