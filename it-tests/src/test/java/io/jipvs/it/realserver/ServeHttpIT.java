package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jipvs.it.lab.Build;
import io.jipvs.it.lab.Exec;
import io.jipvs.netlink.sysctl.Sysctl;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * serve's HTTP as its users meet it, on one serve of a NAT director with two real servers:
 * <ul>
 * <li>a real Prometheus server (Debian's) scrapes /metrics during HTTP traffic, and its query API
 * gives the totals the real {@code ipvsadm -Ln --stats --exact} gives; its linter ({@code promtool
 * check metrics}) finds nothing to report, on serve's exposition and on {@code jipvs metrics} of a
 * 2,000 × 4 table; every query of contrib/grafana's dashboard finds series in what it scraped;</li>
 * <li>a drain over the API socket ({@code jipvs ctl}, and curl) takes the real server's weight to
 * 0 in the kernel and new connections avoid it, a reload keeps it, undrain restores it;
 * {@code --persist} writes the weight into the file, its comment kept, and drops the override;</li>
 * <li>the rules on who may change state, attacked: over TCP no token → 401 and a wrong one → 401
 * with nothing changed, without a token file 403; on the socket nobody is refused by the file's
 * mode and a capability-less root by serve.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeHttpIT {
    static final String VIP = "10.7.0.100";
    static final String FILE = """
            repairInterval: 1h
            services:
              - name: web
                protocol: tcp
                address: 10.7.0.100
                port: 80
                forwarding: nat
                check: { type: tcp, interval: 500ms, warmup: 0 }
                realServers:
                  - { address: 10.8.0.11 }
                  - { address: 10.8.0.12 }   # the spare
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Topology topology;
    private String client;
    private String director;
    private final List<Http.Responder> responders = new ArrayList<>();
    private Path dir;
    private Path log;
    private Process serve;
    private String socket;
    private static final String TOKEN = "s3cret-token-for-the-test";
    private static final String[] CAPABILITY_LESS = {"setpriv", "--inh-caps=-all", "--bounding-set=-all"};
    private static final String[] NOBODY = {"setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"};

    @BeforeAll
    void build() throws IOException {
        topology = new Topology("met");
        client = topology.namespace("cl");
        director = topology.namespace("lb");
        String sw = topology.namespace("sw");
        topology.veth(client, "eth0", director, "eth0");
        topology.veth(director, "eth1", sw, "p-lb");
        topology.address(client, "eth0", "10.7.0.10/24");
        topology.defaultRoute(client, "10.7.0.1");
        topology.address(director, "eth0", "10.7.0.1/24");
        topology.address(director, "eth0", VIP + "/32");
        topology.address(director, "eth1", "10.8.0.1/24");
        List<String> ports = new ArrayList<>(List.of("p-lb"));
        for (int n = 1; n <= 2; n++) {
            String rs = topology.namespace("rs" + n);
            topology.veth(rs, "eth0", sw, "p-rs" + n);
            ports.add("p-rs" + n);
            topology.address(rs, "eth0", "10.8.0.1" + n + "/24");
            topology.defaultRoute(rs, "10.8.0.1");
            responders.add(new Http.Responder(rs, "rs" + n));
        }
        topology.bridge(sw, "br0", ports.toArray(String[]::new));
        Topology.in(director, () -> {
            new Sysctl().write("net/ipv4/ip_forward", 1);
            return null;
        });
        // A path with a space, as a user's checkout may have.
        dir = Files.createTempDirectory("jipvs http");
        Path file = dir.resolve("jipvs.yaml");
        Files.writeString(file, FILE);
        Path token = dir.resolve("token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        log = dir.resolve("serve.log");
        // The default --listen (loopback, port 9470, in the director's namespace) and API socket.
        serve = new ProcessBuilder(Build.launcher(), "serve", "-f", file.toString(), "--netns", director,
                "--state-dir", dir.resolve("state").toString(), "--log-format", "json", "--api-token-file", token.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            await("serve listens", () -> read(log).contains("metrics on http://127.0.0.1:9470/metrics")
                    && read(log).contains("serve: API socket ") && read(log).contains("\"event\":\"ready\""), log);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("serve: API socket (\\S+)").matcher(read(log));
        assertTrue(m.find(), read(log));
        socket = m.group(1);
        assertTrue(socket.startsWith("/run/jipvs/api-"), socket);
    }

    @AfterAll
    void tearDown() throws InterruptedException {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
            serve.destroyForcibly();
        }
        responders.forEach(Http.Responder::close);
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void prometheusScrapingServeDuringTrafficHasIpvsadmsExactTotals() throws Exception {
        Process prometheus = null;
        try {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global: { scrape_interval: 2s, scrape_timeout: 2s }
                    scrape_configs:
                      - job_name: jipvs
                        static_configs: [ { targets: ['127.0.0.1:9470'] } ]
                    """);
            Path promLog = dir.resolve("prometheus.log");
            prometheus = new ProcessBuilder("ip", "netns", "exec", director, "prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:9090")
                    .redirectErrorStream(true).redirectOutput(promLog.toFile()).start();
            await("Prometheus scrapes serve", () -> {
                JsonNode r = query("up{job=\"jipvs\"}");
                return r != null && r.size() == 1 && r.get(0).get("value").get(1).asText().equals("1");
            }, promLog, () -> "; up: " + query("up") + "; a scrape by curl: "
                    + Exec.run("ip", "netns", "exec", director, "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}s",
                    "http://127.0.0.1:9470/metrics").stdout() + "; serve's log:\n" + read(log));

            int servedBefore = responders.stream().mapToInt(r -> r.served.get()).sum();
            for (int i = 0; i < 40; i++) {
                Http.get(client, InetAddress.getByName(VIP));
            }
            assertEquals(servedBefore + 40, responders.stream().mapToInt(r -> r.served.get()).sum());

            // Every connection has ended. The kernel folds its per-CPU counters into the totals it
            // reports every 2 s: wait until it counts every request the real servers answered (each
            // came through the VIP), then until Prometheus has scraped those same figures.
            int served = responders.stream().mapToInt(r -> r.served.get()).sum();
            Map<String, long[]> exact = new HashMap<>();
            await("Prometheus's totals equal ipvsadm's", () -> {
                exact.clear();
                exact.putAll(ipvsadmStats());
                Map<String, long[]> scraped = scraped();
                return exact.get("TCP 10.7.0.100:80")[0] == served && scraped.keySet().equals(exact.keySet())
                        && exact.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), scraped.get(e.getKey())));
            }, promLog);
            assertEquals(served, exact.get("TCP 10.7.0.100:80")[0], "the service's connections, as ipvsadm counts them");
            assertTrue(exact.get("TCP 10.7.0.100:80")[3] > 40 * 40, "bytes in: 40 requests");

            JsonNode healthy = query("jipvs_real_server_healthy{service=\"web\"}");
            assertEquals(2, healthy.size(), healthy.toString());
            healthy.forEach(h -> assertEquals("1", h.get("value").get(1).asText(), h.toString()));

            // contrib/grafana's dashboard: every query of every panel, with Grafana's variables
            // filled in, is valid PromQL that finds series in what Prometheus scraped.
            JsonNode dashboard = JSON.readTree(Build.repository().resolve("contrib/grafana/jipvs-director.json").toFile());
            int queries = 0;
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.get("targets")) {
                    String promql = target.get("expr").asText().replace("$service", ".*").replace("$__rate_interval", "1m");
                    JsonNode result = query(promql);
                    assertTrue(result != null && result.size() > 0, panel.get("title").asText() + ": " + promql + " -> " + result);
                    queries++;
                }
            }
            assertTrue(queries >= 12, "queries: " + queries);
            JsonNode variable = JSON.readTree(Exec.run("ip", "netns", "exec", director, "curl", "-sS", "--get", "--data-urlencode",
                    "match[]=jipvs_service_connections_total", "http://127.0.0.1:9090/api/v1/label/service/values")
                    .orThrow().stdout());
            assertEquals("[\"web\"]", variable.get("data").toString(), "the dashboard's service variable");

            // Prometheus's linter on serve's own exposition (health, histograms, reconcile counters too).
            Exec.Result exposition = Exec.run("ip", "netns", "exec", director, "curl", "-sS", "http://127.0.0.1:9470/metrics")
                    .orThrow();
            assertTrue(exposition.stdout().contains("jipvs_real_server_check_duration_seconds_bucket{"), exposition.stdout());
            assertTrue(exposition.stdout().contains("\njipvs_reconciles_total "), exposition.stdout());
            assertLintClean(exposition.stdout());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                prometheus.waitFor(30, TimeUnit.SECONDS);
                prometheus.destroyForcibly();
            }
        }
    }

    @Test
    void aDrainOverTheApiSocketTakesNewConnectionsAwayAndSurvivesAReloadUntilUndone() throws Exception {
        // jipvs ctl finds the namespace's socket by itself.
        Exec.Result drained = ctl("drain", "web", "10.8.0.11:80");
        assertEquals("drain\n", drained.stdout(), drained.stderr());
        assertEquals(0, weight("10.8.0.11:80"), "the kernel has weight 0 as soon as ctl returns");
        assertEquals(1, weight("10.8.0.12:80"));
        int rs1 = responders.get(0).served.get();
        for (int i = 0; i < 20; i++) {
            assertEquals("rs2", Http.get(client, InetAddress.getByName(VIP)), "new connections avoid the drained server");
        }
        assertEquals(rs1, responders.get(0).served.get());

        // The same over plain HTTP on the socket (curl), then a reload: the override stays.
        Exec.Result reload = Exec.run("curl", "-sS", "--unix-socket", socket, "-X", "POST", "http://localhost/api/v1/reload");
        assertEquals("{\"done\":\"reloaded\"}\n", reload.stdout(), reload.stderr());
        assertEquals(0, weight("10.8.0.11:80"), "a reload keeps the override");
        JsonNode state = JSON.readTree(ctl("state").orThrow().stdout());
        JsonNode rs = state.get("services").get(0).get("realServers").get(0);
        assertEquals("10.8.0.11:80", rs.get("key").asText());
        assertTrue(rs.get("drained").asBoolean(), rs.toString());
        assertEquals(0, rs.get("weight").get("override").asInt());
        assertEquals(1, rs.get("weight").get("configured").asInt());
        assertEquals("up", rs.get("health").get("status").asText(), "drained is not down: its checks still pass");

        assertEquals("weight 5\n", ctl("weight", "TCP:10.7.0.100:80", "10.8.0.12:80", "5").orThrow().stdout());
        assertEquals(5, weight("10.8.0.12:80"));
        assertEquals("undrain\n", ctl("undrain", "web", "10.8.0.11:80").orThrow().stdout());
        assertEquals("undrain\n", ctl("undrain", "web", "10.8.0.12:80").orThrow().stdout());
        assertEquals(1, weight("10.8.0.11:80"), "undrain restores the configured weight");
        assertEquals(1, weight("10.8.0.12:80"));
        Exec.Result unknown = ctl("drain", "web", "10.8.0.99:80");
        assertEquals(1, unknown.exitCode());
        assertEquals("ctl: no real server 10.8.0.99:80 in service web\n", unknown.stderr());
        String events = read(log);
        assertTrue(events.contains("\"event\":\"override\",\"service\":\"TCP 10.7.0.100:80\",\"realServer\":\"10.8.0.11:80\""),
                events);
    }

    @Test
    void persistWritesTheWeightIntoTheFileKeepingItsCommentsAndModeAndDropsTheOverride() throws Exception {
        Path file = dir.resolve("jipvs.yaml");
        String before = read(file);
        var mode = Files.getPosixFilePermissions(file);
        assertEquals("drain\n", ctl("drain", "web", "10.8.0.12:80").orThrow().stdout());

        Exec.Result persisted = ctl("weight", "web", "10.8.0.12:80", "3", "--persist");
        assertEquals("weight 3, written to " + file + "\n", persisted.stdout(), persisted.stderr());
        assertEquals(before.replace("{ address: 10.8.0.12 }", "{ weight: 3, address: 10.8.0.12 }"), read(file),
                "one key added, the comment and every other byte kept");
        assertEquals(mode, Files.getPosixFilePermissions(file));
        assertEquals(3, weight("10.8.0.12:80"), "the file's new weight is in force");
        JsonNode rs = JSON.readTree(ctl("state").orThrow().stdout()).get("services").get(0).get("realServers").get(1);
        assertEquals(3, rs.get("weight").get("configured").asInt(), rs.toString());
        assertTrue(rs.get("weight").get("override").isNull(), "the file carries it now, not an override: " + rs);

        Exec.Result undrain = ctl("undrain", "web", "10.8.0.12:80", "--persist");
        assertEquals(2, undrain.exitCode());
        assertEquals("ctl: --persist goes with drain or weight (undrain goes back to the file's weight: nothing to write)\n",
                undrain.stderr());
        Exec.Result curl = Exec.run("curl", "-sS", "--unix-socket", socket, "-X", "POST",
                "http://localhost/api/v1/services/web/real-servers/10.8.0.12:80/drain?persist=yes");
        assertEquals("{\"error\":\"persist takes true, once\"}\n", curl.stdout(), curl.stderr());

        assertEquals("weight 1, written to " + file + "\n", ctl("weight", "web", "10.8.0.12:80", "1", "--persist")
                .orThrow().stdout());
        assertEquals(before.replace("{ address: 10.8.0.12 }", "{ weight: 1, address: 10.8.0.12 }"), read(file));
        assertEquals(1, weight("10.8.0.12:80"));
        assertTrue(read(log).contains("persisted: " + file + " has weight 3"), read(log));
    }

    @Test
    void onlyTheTokenOverTcpAndRootWithCapNetAdminOnTheSocketMayChangeState() throws Exception {
        String drain = "http://127.0.0.1:9470/api/v1/services/web/real-servers/10.8.0.11:80/drain";
        Exec.Result none = tcp("-X", "POST", drain);
        assertEquals("401", none.stdout().lines().reduce((a, b) -> b).orElse(""), none.stdout());
        Exec.Result wrong = tcp("-X", "POST", "-H", "Authorization: Bearer not-" + TOKEN, drain);
        assertTrue(wrong.stdout().contains("wrong token") && wrong.stdout().endsWith("401"), wrong.stdout());
        assertEquals(1, weight("10.8.0.11:80"), "a refused request changes nothing");
        Exec.Result right = tcp("-X", "POST", "-H", "Authorization: Bearer " + TOKEN, drain);
        assertTrue(right.stdout().endsWith("200"), right.stdout());
        assertEquals(0, weight("10.8.0.11:80"));
        assertTrue(tcp("-X", "POST", "-H", "Authorization: Bearer " + TOKEN, drain.replace("/drain", "/undrain"))
                .stdout().endsWith("200"));
        assertEquals(1, weight("10.8.0.11:80"));
        Exec.Result state = tcp(drain.replace("/services/web/real-servers/10.8.0.11:80/drain", "/state"));
        assertTrue(state.stdout().endsWith("200"), "reading needs no token: " + state.stdout());

        // The socket: nobody cannot even connect (0600 root), a root without capabilities is refused.
        Exec.Result nobody = Exec.run(concat(NOBODY, "curl", "-sS", "--unix-socket", socket, "-X", "POST",
                "http://localhost/api/v1/services/web/real-servers/10.8.0.11:80/drain"));
        assertEquals(7, nobody.exitCode(), "curl cannot connect: " + nobody.stdout() + nobody.stderr());
        Exec.Result capless = Exec.run(concat(CAPABILITY_LESS, "curl", "-sS", "--unix-socket", socket, "-X", "POST",
                "http://localhost/api/v1/services/web/real-servers/10.8.0.11:80/drain"));
        assertEquals("{\"error\":\"refused: no CAP_NET_ADMIN in effect\"}\n", capless.stdout(), capless.stderr());
        Exec.Result ctl = Exec.run(concat(CAPABILITY_LESS, Build.launcher(), "ctl", "--api-socket", socket, "drain", "web", "10.8.0.11:80"));
        assertEquals(1, ctl.exitCode());
        assertEquals("ctl: refused: no CAP_NET_ADMIN in effect\n", ctl.stderr());
        assertEquals(1, weight("10.8.0.11:80"), "nothing the refused callers asked was done");

        // A serve without a token file serves no change over TCP at all.
        String other = topology.namespace("lb2");
        Path file = dir.resolve("other.yaml");
        Files.writeString(file, FILE);
        Path otherLog = dir.resolve("other.log");
        Process second = new ProcessBuilder(Build.launcher(), "serve", "-f", file.toString(), "--netns", other,
                "--state-dir", dir.resolve("other-state").toString(), "--api-socket", "none", "--no-command-socket")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(otherLog.toFile())).start();
        try {
            await("the second serve listens", () -> read(otherLog).contains("metrics on http://127.0.0.1:9470/metrics"), otherLog);
            Exec.Result forbidden = Exec.run("ip", "netns", "exec", other, "curl", "-sS", "-w", "%{http_code}", "-X", "POST",
                    "-H", "Authorization: Bearer " + TOKEN, drain);
            assertEquals("{\"error\":\"changes are served on the API socket only; over TCP they need serve's"
                    + " --api-token-file\"}\n403", forbidden.stdout());
            assertTrue(!read(otherLog).contains("API socket"), read(otherLog));
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    private Exec.Result ctl(String... args) {
        return Exec.run(concat(new String[] {Build.launcher(), "ctl", "--netns", director}, args));
    }

    /** curl to serve's TCP listener from the director's namespace; the status code ends the output. */
    private Exec.Result tcp(String... args) {
        return Exec.run(concat(new String[] {"ip", "netns", "exec", director, "curl", "-sS", "-w", "%{http_code}"}, args));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** The kernel's weight of a real server of the web service, as the real ipvsadm lists it. */
    private int weight(String realServer) {
        String out = Exec.run("ip", "netns", "exec", director, "ipvsadm", "-Ln", "-t", VIP + ":80").orThrow().stdout();
        for (String line : out.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length >= 4 && w[0].equals("->") && w[1].equals(realServer)) {
                return Integer.parseInt(w[3]);
            }
        }
        throw new AssertionError("no " + realServer + " in\n" + out);
    }

    @Test
    void promtoolFindsNothingToReportInTheMetricsOfATwoThousandByFourTable() throws Exception {
        String ns = topology.namespace("big");
        StringBuilder rules = new StringBuilder();
        for (int s = 0; s < 2000; s++) {
            String vip = "10.9." + (s / 250) + "." + (s % 250 + 1);
            rules.append("-A -t ").append(vip).append(":80 -s wrr\n");
            for (int d = 1; d <= 4; d++) {
                rules.append("-a -t ").append(vip).append(":80 -r 10.10.").append(s % 250).append('.').append(d)
                        .append(":8080 -m -w ").append(d).append('\n');
            }
        }
        Path rulesFile = dir.resolve("big.rules");
        Files.writeString(rulesFile, rules);
        Exec.run("sh", "-c", "ip netns exec \"$1\" ipvsadm -R < \"$2\"", "sh", ns, rulesFile.toString()).orThrow();

        Exec.Result metrics = Exec.run(Build.launcher(), "metrics", "--netns", ns).orThrow();
        assertEquals("", metrics.stderr());
        String text = metrics.stdout();
        assertEquals(2000 * 5, count(text, "\njipvs_service_"), "five counters per service");
        assertEquals(8000 * 9, count(text, "\njipvs_real_server_"), "five counters and four gauges per real server");
        assertLintClean(text);
    }

    /** promtool reads the exposition on standard input; it prints each problem and exits 1 for any. */
    private void assertLintClean(String exposition) throws IOException {
        Path f = Files.createTempFile(dir, "exposition", ".prom");
        Files.writeString(f, exposition);
        Exec.Result lint = Exec.run("sh", "-c", "promtool check metrics < \"$1\"", "sh", f.toString());
        assertEquals(0, lint.exitCode(), lint.stdout() + lint.stderr());
        assertEquals("", lint.stdout() + lint.stderr());
    }

    private static int count(String text, String prefix) {
        int n = 0;
        for (int i = text.indexOf(prefix); i >= 0; i = text.indexOf(prefix, i + 1)) {
            n++;
        }
        return n;
    }

    /** Service and real server lines of {@code ipvsadm -Ln --stats --exact}: Conns InPkts OutPkts InBytes OutBytes. */
    private Map<String, long[]> ipvsadmStats() {
        String out = Exec.run("ip", "netns", "exec", director, "ipvsadm", "-Ln", "--stats", "--exact").orThrow().stdout();
        Map<String, long[]> stats = new HashMap<>();
        String service = null;
        for (String line : out.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (line.startsWith("TCP ")) {
                service = w[0] + " " + w[1];
                stats.put(service, numbers(w, 2));
            } else if (line.startsWith("  -> ") && service != null && !w[1].equals("RemoteAddress:Port")) {
                stats.put(service + " -> " + w[1], numbers(w, 2));
            }
        }
        return stats;
    }

    private static long[] numbers(String[] words, int from) {
        long[] n = new long[5];
        for (int i = 0; i < 5; i++) {
            n[i] = Long.parseLong(words[from + i]);
        }
        return n;
    }

    /** The same keys from Prometheus's latest samples of our counters. */
    private Map<String, long[]> scraped() {
        String[] names = {"connections", "incoming_packets", "outgoing_packets", "incoming_bytes", "outgoing_bytes"};
        Map<String, long[]> stats = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            JsonNode r = query("{__name__=~\"jipvs_(service|real_server)_" + names[i] + "_total\",service=\"web\"}");
            if (r == null) {
                return Map.of();
            }
            for (JsonNode sample : r) {
                JsonNode m = sample.get("metric");
                String key = "TCP " + m.get("address").asText() + ":" + m.get("port").asText();
                if (m.has("real_server")) {
                    key += " -> " + m.get("real_server").asText() + ":" + m.get("real_port").asText();
                }
                stats.computeIfAbsent(key, k -> new long[5])[i] = new java.math.BigDecimal(sample.get("value").get(1).asText())
                        .longValueExact();
            }
        }
        return stats;
    }

    /** An instant query through Prometheus's HTTP API; null while it does not answer. */
    private JsonNode query(String promql) {
        Exec.Result r = Exec.run("ip", "netns", "exec", director, "curl", "-sS", "--get",
                "--data-urlencode", "query=" + promql, "http://127.0.0.1:9090/api/v1/query");
        if (r.exitCode() != 0) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(r.stdout());
            return "success".equals(body.path("status").asText()) ? body.get("data").get("result") : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls every 50 ms for up to 90 s (a JVM and a Prometheus start under emulation take seconds). */
    private static void await(String what, BooleanSupplier condition, Path log) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(90), condition, () -> "; log:\n" + read(log));
    }

    private static void await(String what, BooleanSupplier condition, Path log, java.util.function.Supplier<String> more)
            throws InterruptedException {
        Await.until(what, Duration.ofSeconds(90), condition, () -> "; log:\n" + read(log) + more.get());
    }
}
