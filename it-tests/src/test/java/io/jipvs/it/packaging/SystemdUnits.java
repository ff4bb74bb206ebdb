package io.jipvs.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The installed units under a real systemd (see {@link Systemd}), in this machine's network
 * namespace, against the kernel's IPVS table with the real ipvsadm as the oracle:
 * <ul>
 * <li>jipvs.service is Type=notify: `systemctl start` returns once serve has applied the file, and
 *     `systemctl reload` once the new file is in force; it pings the watchdog; stopping it leaves
 *     the table.</li>
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
        // Test-only drop-ins: a watchdog short enough to watch, and the daemon telling what it ran.
        Files.createDirectories(units.resolve("jipvs.service.d"));
        Files.writeString(units.resolve("jipvs.service.d/test.conf"), "[Service]\nWatchdogSec=4s\n");
        Files.createDirectories(units.resolve("jipvs-daemon.service.d"));
        Files.writeString(units.resolve("jipvs-daemon.service.d/test.conf"), """
                [Service]
                ExecStart=
                ExecStart=/usr/sbin/jipvs daemon --verbose
                StandardError=append:/run/jipvs-daemon.log
                """);
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
            Exec.run("ipvsadm", "-D", "-t", "192.0.2.80:80");
            Exec.run("ipvsadm", "-D", "-t", "192.0.2.81:80");
            delete(units);
        }
    }

    private static void serve(Systemd systemd) throws Exception {
        Files.writeString(CONFIG, web("{ address: 10.9.0.1 }"));
        // Type=notify: start returns at READY=1, which serve sends once the file is applied.
        systemd.systemctl("start", "jipvs.service");
        assertTrue(Exec.run("ipvsadm", "-Ln").orThrow().stdout().contains("TCP  192.0.2.80:80 wlc\n  -> 10.9.0.1:80"),
                "applied before READY=1: " + Exec.run("ipvsadm", "-Ln").stdout() + systemd.status());
        assertEquals("1 services", systemd.property("jipvs.service", "StatusText"));

        // reload: RELOADING=1, then READY=1 once the reload's reconcile has run.
        Files.writeString(CONFIG, web("{ address: 10.9.0.1 }, { address: 10.9.0.2 }"));
        systemd.systemctl("reload", "jipvs.service");
        assertTrue(Exec.run("ipvsadm", "-Ln").orThrow().stdout().contains("  -> 10.9.0.2:80"),
                "in force when reload returns: " + Exec.run("ipvsadm", "-Ln").stdout() + systemd.status());

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
        assertTrue(Exec.run("ipvsadm", "-Ln").orThrow().stdout().contains("  -> 10.9.0.2:80"), systemd.status());
    }

    private static String web(String realServers) {
        return "services:\n  - { name: web, protocol: tcp, address: 192.0.2.80, port: 80, realServers: [ " + realServers
                + " ] }\n";
    }

    private static void commandSocket(Systemd systemd) {
        systemd.systemctl("start", "jipvs.socket");
        assertEquals("inactive", systemd.property("jipvs-daemon.service", "ActiveState"));
        // The first command starts the daemon and is run by it (the client finds daemon.sock, the
        // socket systemd listens on, because it is in PID 1's network namespace).
        Exec.Result listed = systemd.run("env", "JIPVS_PROGRAM=ipvsadm", "/usr/sbin/jipvs", "-Ln");
        assertEquals(Exec.run("ipvsadm", "-Ln").orThrow(), listed);
        assertEquals("active", systemd.property("jipvs-daemon.service", "ActiveState"), systemd.status());
        String log = systemd.run("cat", "/run/jipvs-daemon.log").stdout();
        assertTrue(log.contains("jipvs daemon: serving the socket systemd passed (descriptor 3)"), log);
        assertTrue(log.matches("(?s).*jipvs daemon: pid \\d+: -Ln -> 0\n.*"), log);
        systemd.systemctl("stop", "jipvs.socket", "jipvs-daemon.service");
    }

    private static void rules(Systemd systemd) throws IOException {
        // As Debian's /etc/ipvsadm.rules: a comment first, which ipvsadm -R itself would refuse.
        Files.writeString(RULES, "# jipvs rules\n-A -t 192.0.2.81:80 -s rr\n-a -t 192.0.2.81:80 -r 10.9.0.3:80 -g -w 1\n");
        Files.writeString(DEFAULTS, "SAVE_ON_STOP=yes\n");
        systemd.systemctl("start", "jipvs-rules.service");
        // Cleared first (serve's service is gone), then restored.
        assertEquals("-A -t 192.0.2.81:80 -s rr\n-a -t 192.0.2.81:80 -r 10.9.0.3:80 -g -w 1\n",
                Exec.run("ipvsadm", "-Sn").orThrow().stdout(), systemd.status());
        Exec.run("ipvsadm", "-a", "-t", "192.0.2.81:80", "-r", "10.9.0.4:80", "-g", "-w", "2").orThrow();
        systemd.systemctl("stop", "jipvs-rules.service");
        assertEquals(Exec.run("ipvsadm", "-Sn").orThrow().stdout(), Files.readString(RULES), systemd.status());
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
