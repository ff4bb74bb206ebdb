package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Active/standby as docs/scale-out.md builds it, with the real daemons: two directors on one
 * segment run keepalived (VRRP only, from Debian) and jipvs serve, and serve runs the kernel's
 * sync daemons by the director's role. Both ways of knowing the role are in play: d1's keepalived
 * reports it through notify scripts running {@code jipvs ctl role}, d2's serve follows the VIP
 * ({@code syncDaemon.vip}) and its keepalived has no scripts. A client
 * holds one TCP connection through the VIP (DR) and keeps sending; the master dies (its
 * keepalived and serve are killed and its link goes, as a machine's would); the same connection
 * goes on through the backup, whose table had the connection from the sync daemon before. Then
 * the first director comes back as a fresh machine, learns the connection from the new master,
 * and takes the VIP back (fail-back) with the connection still alive. The real ipvsadm is the
 * oracle for the tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VrrpFailoverIT {
    static final String VIP = "10.7.0.100";
    static final int PORT = 7000;
    static final String SERVE = """
            repairInterval: 1h
            services:
              - name: echo
                protocol: tcp
                address: 10.7.0.100
                port: 7000
                scheduler: rr
                forwarding: dr
                realServers: [ { address: 10.7.0.11 }, { address: 10.7.0.12 } ]
            syncDaemon: { interface: eth0, syncId: 51 }
            """;
    /** d2's: the role follows the VIP. */
    static final String SERVE_VIP = SERVE.replace("syncId: 51 }", "syncId: 51, vip: " + VIP + " }");

    private Topology topology;
    private String sw;
    private String client;
    private final Map<String, String> directors = new java.util.LinkedHashMap<>();
    private final List<Echo> echoes = new ArrayList<>();
    private final Map<String, Process> keepalived = new ConcurrentHashMap<>();
    private final Map<String, Process> serve = new ConcurrentHashMap<>();
    private Path dir;
    private Path state;

    @BeforeAll
    void build() throws IOException {
        topology = new Topology("ha");
        // keepalived splits its notify lines on spaces: its files live in a path without one.
        dir = Files.createTempDirectory("jipvs-ha");
        sw = topology.newSwitch("sw");
        client = attach("c", "10.7.0.10");
        for (String rs : List.of("rs1", "rs2")) {
            String ns = attach(rs, rs.equals("rs1") ? "10.7.0.11" : "10.7.0.12");
            // DR: the real server holds the VIP without answering ARP for it.
            topology.address(ns, "lo", VIP + "/32");
            Exec.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1",
                    "net.ipv4.conf.all.arp_announce=2").orThrow();
            echoes.add(new Echo(ns, rs));
        }
        // serve's state directory, shared by the directors (each namespace has its own records).
        state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        Path script = dir.resolve("role");
        Files.writeString(script, "#!/bin/sh\nexec '" + Build.launcher().replace("'", "'\\''") + "' ctl role \"$1\" --state-dir "
                + state + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("jipvs-d1.yaml"), SERVE);
        Files.writeString(dir.resolve("jipvs-d2.yaml"), SERVE_VIP);
    }

    @AfterAll
    void tearDown() {
        keepalived.values().forEach(Process::destroyForcibly);
        serve.values().forEach(Process::destroyForcibly);
        echoes.forEach(Echo::close);
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void anEstablishedConnectionSurvivesFailoverAndFailBack() throws Exception {
        String d1 = director("d1", "10.7.0.2");
        String d2 = director("d2", "10.7.0.3");
        startServe("d1");
        startServe("d2");
        startKeepalived("d1", 150);
        Await.until("d1 holds the VIP", Duration.ofSeconds(30), () -> hasVip(d1), () -> log("d1"));
        startKeepalived("d2", 100);
        // keepalived may report the role before serve listens: ctl records it, serve takes it.
        Await.until("d1 runs the sync master and d2 the backup", Duration.ofSeconds(120),
                () -> daemons(d1).contains("master sync daemon") && daemons(d2).contains("backup sync daemon")
                        && !daemons(d2).contains("master sync daemon"),
                () -> "\nd1: " + daemons(d1) + "\nd2: " + daemons(d2) + log("d1") + log("d2"));

        try (Conversation talk = new Conversation(client)) {
            Await.until("echoes on the connection", Duration.ofSeconds(10), () -> talk.replies() > 5, talk::toString);
            String port = talk.localPort();
            Await.until("the connection in d2's table, from the sync daemon", Duration.ofSeconds(30),
                    () -> connections(d2).contains("10.7.0.10:" + port), () -> "\nd2 -Lnc:\n" + connections(d2));

            // The master dies as a machine does: its link goes first, so that no goodbye (a
            // stopping keepalived's priority-0 advert) reaches d2; then every process of it is
            // killed (keepalived's VRRP child too, which would stop gracefully on its parent's death).
            Topology.ip("-n", sw, "link", "del", "p-d1");
            long died = System.nanoTime();
            for (String pid : Exec.run("ip", "netns", "pids", d1).stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    Exec.run("kill", "-KILL", pid);
                }
            }
            keepalived.remove("d1").destroyForcibly();
            serve.remove("d1").destroyForcibly();
            Await.until("the same connection answers through d2", Duration.ofSeconds(30),
                    () -> talk.answeredAfter(died), talk::toString);
            long failover = talk.firstAnswerAfter(died) - died;
            System.out.printf("VRRP failover: master gone -> first echo on the surviving connection: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(failover));
            assertTrue(hasVip(d2), "d2 holds the VIP");
            // Each notify starts a JVM for jipvs ctl: seconds on a real machine, more under emulation.
            Await.until("d2's serve took the master role", Duration.ofSeconds(120),
                    () -> daemons(d2).contains("master sync daemon"), () -> daemons(d2) + log("d2"));
            assertEquals(2, newConnections(4), "new connections work through d2, to both real servers");

            // Fail-back: d1 returns as a fresh machine; it learns the connection from d2 first.
            topology.delete(d1);
            directors.remove("d1");
            String back = director("d1", "10.7.0.2");
            startServe("d1");
            Await.until("the connection in the fresh d1's table, from d2's sync master", Duration.ofSeconds(120),
                    () -> connections(back).contains("10.7.0.10:" + port), () -> "\nd1 -Lnc:\n" + connections(back)
                            + "\nd2: " + daemons(d2) + "\nd1: " + daemons(back) + log("d1"));
            long failBack = System.nanoTime();
            startKeepalived("d1", 150);
            Await.until("d1 takes the VIP back", Duration.ofSeconds(60), () -> hasVip(back) && !hasVip(d2), () -> log("d1"));
            long moved = System.nanoTime();
            Await.until("the connection goes on through d1", Duration.ofSeconds(30), () -> talk.answeredAfter(moved),
                    talk::toString);
            System.out.printf("VRRP fail-back: keepalived started on d1 -> VIP moved -> next echo: %d ms after the start%n",
                    TimeUnit.NANOSECONDS.toMillis(talk.firstAnswerAfter(moved) - failBack));
            Await.until("d2 is backup again and d1 runs the sync master", Duration.ofSeconds(120),
                    () -> !daemons(d2).contains("master sync daemon") && daemons(back).contains("master sync daemon"),
                    () -> "\nd1: " + daemons(back) + "\nd2: " + daemons(d2) + log("d1") + log("d2"));
        }
    }

    // ------------------------------------------------------------------ scaffolding

    private String attach(String role, String address) {
        return topology.onSwitch(sw, role, address);
    }

    private String director(String role, String address) {
        String ns = attach(role, address);
        directors.put(role, ns);
        return ns;
    }

    private void startServe(String role) throws IOException {
        serve.put(role, new ProcessBuilder(Build.launcher(), "serve", "-f", dir.resolve("jipvs-" + role + ".yaml").toString(),
                "--netns", directors.get(role), "--state-dir", state.toString(), "--listen", "none", "--verbose")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(role + ".log").toFile()))
                .start());
    }

    private void startKeepalived(String role, int priority) throws IOException {
        Path conf = dir.resolve("keepalived-" + role + ".conf");
        String notify = dir.resolve("role").toString();
        Files.writeString(conf, """
                global_defs {
                    router_id %s
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    advert_int 1
                    virtual_ipaddress {
                        %s/24 dev eth0
                    }
                %s}
                """.formatted(role, priority, VIP, role.equals("d2") ? "" : """
                        notify_master "%s master"
                        notify_backup "%s backup"
                        notify_fault "%s fault"
                    """.formatted(notify, notify, notify)));
        keepalived.put(role, new ProcessBuilder("ip", "netns", "exec", directors.get(role), "keepalived", "--dont-fork",
                "--log-console", "--log-detail", "--vrrp", "-f", conf.toString(),
                "-p", dir.resolve(role + "-keepalived.pid").toString(),
                "-r", dir.resolve(role + "-vrrp.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(role + "-keepalived.log").toFile()))
                .start());
    }

    private static boolean hasVip(String ns) {
        return Exec.run("ip", "-n", ns, "-o", "addr", "show", "dev", "eth0").stdout().contains(" " + VIP + "/");
    }

    private static String daemons(String ns) {
        return Exec.run("ip", "netns", "exec", ns, "ipvsadm", "-L", "--daemon").stdout();
    }

    private static String connections(String ns) {
        return Exec.run("ip", "netns", "exec", ns, "ipvsadm", "-Lnc").stdout();
    }

    /** New connections through the VIP: how many real servers answered. */
    private int newConnections(int n) throws Exception {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            try (Conversation c = new Conversation(client)) {
                Await.until("an echo on a new connection", Duration.ofSeconds(10), () -> c.replies() > 0, c::toString);
                names.add(c.server());
            }
        }
        return names.size();
    }

    private String log(String role) {
        StringBuilder b = new StringBuilder();
        for (String f : List.of(role + ".log", role + "-keepalived.log")) {
            try {
                Path p = dir.resolve(f);
                b.append("\n--- ").append(f).append(":\n").append(Files.exists(p) ? Files.readString(p) : "(none)");
            } catch (IOException e) {
                b.append(e);
            }
        }
        return b.toString();
    }

    /** A line echo server on the real server: answers "NAME LINE" to each line. */
    static final class Echo implements AutoCloseable {
        private final ServerSocketChannel server;

        Echo(String ns, String name) {
            server = Topology.in(ns, () -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.bind(new InetSocketAddress(PORT));
                return s;
            });
            Thread t = new Thread(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel c = server.accept();
                        Thread h = new Thread(() -> echo(c, name), "echo-" + name);
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "echo-accept-" + name);
            t.setDaemon(true);
            t.start();
        }

        private static void echo(SocketChannel c, String name) {
            try (Socket s = c.socket(); BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                PrintStream out = new PrintStream(s.getOutputStream(), true, StandardCharsets.US_ASCII);
                for (String line; (line = in.readLine()) != null; ) {
                    out.print(name + " " + line + "\n");
                    out.flush();
                }
            } catch (IOException e) {
                // the client went
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closing only
            }
        }
    }

    /**
     * One long-lived TCP connection to the VIP: a line every 20 ms, each echo's arrival time kept.
     */
    static final class Conversation implements AutoCloseable {
        private final Socket socket;
        private final Map<Long, Long> sent = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<long[]> answers = new ConcurrentLinkedQueue<>();
        private volatile String server = "";
        private volatile boolean open = true;

        Conversation(String ns) {
            socket = Topology.in(ns, () -> {
                Socket s = SocketChannel.open().socket();
                s.connect(new InetSocketAddress(VIP, PORT), 5000);
                return s;
            });
            Thread writer = new Thread(this::write, "conversation-out");
            writer.setDaemon(true);
            writer.start();
            Thread reader = new Thread(this::read, "conversation-in");
            reader.setDaemon(true);
            reader.start();
        }

        private void write() {
            try {
                OutputStream out = socket.getOutputStream();
                for (long seq = 0; open; seq++) {
                    sent.put(seq, System.nanoTime());
                    out.write((seq + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException e) {
                // closed
            }
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    String[] w = line.split(" ");
                    server = w[0];
                    answers.add(new long[] {Long.parseLong(w[1]), System.nanoTime()});
                }
            } catch (IOException e) {
                // closed
            }
        }

        long replies() {
            return answers.size();
        }

        String server() {
            return server;
        }

        String localPort() {
            return Integer.toString(socket.getLocalPort());
        }

        /** Whether a line sent after {@code t} has been echoed. */
        boolean answeredAfter(long t) {
            return firstAnswerAfter(t) > 0;
        }

        /** When the first echo of a line sent after {@code t} arrived, or 0. */
        long firstAnswerAfter(long t) {
            for (long[] a : answers) {
                Long at = sent.get(a[0]);
                if (at != null && at > t) {
                    return a[1];
                }
            }
            return 0;
        }

        @Override
        public String toString() {
            return "\nconversation: " + answers.size() + " echoes from " + server;
        }

        @Override
        public void close() throws IOException {
            open = false;
            socket.close();
        }
    }
}
