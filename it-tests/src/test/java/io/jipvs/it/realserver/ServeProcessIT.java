package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * jipvs serve as operators run it: the real launcher in a process of its own, steered by its
 * file and by signals, its log read as JSON lines; the ipvsadm command lines it runs for the
 * namespace as jipvs daemon would. The kernel's table and the real ipvsadm are the oracles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeProcessIT {
    private Topology topology;
    private String director;
    private String rs;
    private Http.Responder http;
    private IpvsClient ipvs;
    private Path dir;
    private final ServiceKey web = ServiceKey.of(Protocol.TCP, addr("10.6.0.100"), 80);
    private final ServiceKey other = ServiceKey.of(Protocol.TCP, addr("10.6.0.100"), 8080);

    @BeforeAll
    void build() throws IOException {
        topology = new Topology("spr");
        director = topology.namespace("lb");
        rs = topology.namespace("rs");
        topology.veth(director, "eth0", rs, "eth0");
        topology.address(director, "eth0", "10.6.0.1/24");
        topology.address(rs, "eth0", "10.6.0.11/24");
        http = new Http.Responder(rs, "rs");
        ipvs = IpvsClient.open(Topology.path(director));
        // A path with a space, as a user's checkout may have.
        dir = Files.createTempDirectory("jipvs serve");
    }

    @AfterAll
    void tearDown() {
        if (http != null) {
            http.close();
        }
        if (ipvs != null) {
            ipvs.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    static final String ONE = """
            repairInterval: 1h
            services:
              - name: web
                protocol: tcp
                address: 10.6.0.100
                port: 80
                forwarding: nat
                check: { type: tcp, interval: 300ms, warmup: 0 }
                realServers:
                  - { address: 10.6.0.11 }
            """;
    static final String TWO = ONE + """
              - name: other
                protocol: tcp
                address: 10.6.0.100
                port: 8080
                forwarding: nat
                realServers:
                  - { address: 10.6.0.11, port: 80 }
            """;

    @Test
    void reloadsOnFileChangesAndSighupKeepsTheTableOnSigtermAndRefusesASecondServe() throws Exception {
        Path file = dir.resolve("jipvs.yaml");
        Path state = dir.resolve("state");
        Files.writeString(file, ONE);
        Path log = dir.resolve("serve.log");
        Process serve = start(file, state, log);
        try {
            await("the service applied", () -> ipvs.service(web).isPresent() && ipvs.destinations(web).size() == 1);

            // One resident JVM per director: serve also runs the ipvsadm command lines of its namespace.
            Exec.Result listed = Exec.run("ip", "netns", "exec", director, Build.launcher(), "-Ln").orThrow();
            assertEquals(Exec.run("ip", "netns", "exec", director, "ipvsadm", "-Ln").orThrow().stdout(), listed.stdout());
            await("serve ran the command line", () -> read(log).contains(": -Ln -> 0"));

            Exec.Result second = Exec.run(Build.launcher(), "serve", "-f", file.toString(), "--netns", director,
                    "--state-dir", state.toString());
            assertEquals(1, second.exitCode(), second.stderr());
            assertEquals("serve: another jipvs serve already runs in this network namespace\n", second.stderr());

            save(file, TWO);
            await("a changed file is reloaded", () -> ipvs.service(other).isPresent());

            save(file, TWO.replace("port: 8080", "port: 80800"));
            await("a bad file is reported", () -> read(log).contains("\"event\":\"reload-failed\""));
            assertTrue(read(log).contains("services[1].port: must be 0..65535"), read(log));
            assertTrue(ipvs.service(other).isPresent(), "the running state is kept");

            // Drift behind serve's back; the repair interval is an hour, so only SIGHUP repairs it.
            ipvs.deleteDestination(web, addr("10.6.0.11"), 80);
            save(file, TWO); // the same content as in force: no reload of its own
            Thread.sleep(500);
            assertTrue(ipvs.destinations(web).isEmpty(), "nothing repairs it before the signal");
            signal(serve, "HUP");
            await("SIGHUP reconciles against the kernel", () -> ipvs.destinations(web).size() == 1);

            signal(serve, "TERM");
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
            assertEquals(0, serve.exitValue());
            assertTrue(ipvs.service(web).isPresent() && ipvs.service(other).isPresent(), "SIGTERM leaves the table");
            String events = read(log);
            for (String e : List.of("start", "change", "ready", "reload", "reload-failed", "stop")) {
                assertTrue(events.contains("\"event\":\"" + e + "\""), e + " in " + events);
            }
        } finally {
            serve.destroyForcibly();
        }

        Process again = start(file, state, log, "--flush-on-exit");
        try {
            await("the second serve is ready", () -> read(log).split("\"event\":\"ready\"").length == 3);
            signal(again, "TERM");
            assertTrue(again.waitFor(30, TimeUnit.SECONDS));
            assertTrue(ipvs.service(web).isEmpty() && ipvs.service(other).isEmpty(),
                    "--flush-on-exit deletes what jipvs created");
        } finally {
            again.destroyForcibly();
        }
    }

    @Test
    void afterAKill9ARestartedServeAdoptsTheTableWithoutAFlap() throws Exception {
        Path file = dir.resolve("kill9.yaml");
        Path state = dir.resolve("kill9-state");
        Files.writeString(file, ONE);
        Path log = dir.resolve("kill9.log");
        Process first = start(file, state, log);
        try {
            await("serve is ready", () -> read(log).contains("\"event\":\"ready\""));
            await("the service applied", () -> ipvs.service(web).isPresent() && ipvs.destinations(web).size() == 1);
            Exec.run("kill", "-KILL", Long.toString(first.pid())).orThrow();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            int before = read(log).length();
            Process second = start(file, state, log);
            try {
                await("the new serve is ready", () -> read(log).substring(before).contains("\"event\":\"ready\""));
                Thread.sleep(1500); // five check rounds: long enough for a flap to show
                String since = read(log).substring(before);
                for (String flap : List.of("\"event\":\"change\"", "\"event\":\"down\"", "\"event\":\"up\"")) {
                    assertTrue(!since.contains(flap), "no flap after the restart: " + since);
                }
                assertEquals(1, ipvs.destinations(web).size());
                signal(second, "TERM");
                assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            } finally {
                second.destroyForcibly();
            }
        } finally {
            first.destroyForcibly();
            ipvs.flush();
        }
    }

    @Test
    void convertPrintsKeepalivedConfAsYaml() throws Exception {
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, """
                vrrp_instance VI_1 {
                    virtual_router_id 51
                }
                virtual_server 10.6.0.100 80 {
                    protocol TCP
                    real_server 10.6.0.11 80 {
                        TCP_CHECK {
                        }
                    }
                }
                """);
        Exec.Result r = Exec.run(Build.launcher(), "convert", conf.toString()).orThrow();
        assertEquals("""
                services:
                  - protocol: tcp
                    address: 10.6.0.100
                    port: 80
                    forwarding: nat
                    check:
                      type: tcp
                      interval: 1m
                      timeout: 5s
                    realServers:
                      - address: 10.6.0.11
                """, r.stdout());
        assertEquals(conf + ":1:1: vrrp_instance: warning: not converted: VRRP and its tracking stay with keepalived\n",
                r.stderr());
    }

    private Process start(Path file, Path state, Path log, String... more) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Build.launcher(), "serve", "-f", file.toString(), "--netns",
                director, "--state-dir", state.toString(), "--log-format", "json", "--verbose"));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** As an editor saves: a new file renamed over the old one. */
    private static void save(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(".jipvs.yaml.swp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void signal(Process p, String name) {
        Exec.run("kill", "-" + name, Long.toString(p.pid())).orThrow();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls every 50 ms for up to 60 s (a JVM start under emulation takes seconds). */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(60), condition, () -> "; serve's log:\n" + read(dir.resolve("serve.log")));
    }

    static InetAddress addr(String literal) {
        return TrafficTest.addr(literal);
    }
}
