package io.jipvs.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.it.lab.Chromium;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.nltest.MemoryIpvs;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real browser (Debian's headless Chromium), over serve's own routes and
 * listener, on the library's in-memory table (no kernel needed): every service and real server is
 * shown with its health as a class, a service name that is HTML is shown as text, the page follows
 * the API's state without being reloaded, and it is readable at 1280 px and at a phone's width.
 */
class StatusPageIT {
    static final String SCRIPT_NAME = "<script>document.title='owned'</script>";

    @Test
    void showsEveryRealServersHealthEscapesNamesAndFollowsTheStateWithoutReloading() throws Exception {
        Path dir = Files.createTempDirectory("jipvs status page");
        try (ServerSocket up = new ServerSocket(0, 50, Addresses.literal("127.0.0.1"))) {
            // A real server that answers: every check's connection is accepted and closed (an
            // unaccepted backlog would fill and time the checks out).
            Thread acceptor = new Thread(() -> {
                while (!up.isClosed()) {
                    try {
                        up.accept().close();
                    } catch (java.io.IOException e) {
                        // closed: the test is over
                    }
                }
            }, "status-page-real-server");
            acceptor.setDaemon(true);
            acceptor.start();
            int closed;
            try (ServerSocket s = new ServerSocket(0, 50, Addresses.literal("127.0.0.1"))) {
                closed = s.getLocalPort();
            }
            String yaml = """
                    services:
                      - name: web
                        protocol: tcp
                        address: 192.0.2.10
                        port: 80
                        check: { type: tcp, interval: 300ms, warmup: 0 }
                        realServers:
                          - { address: 127.0.0.1, port: %d, weight: 3 }
                          - { address: 127.0.0.1, port: %d }
                      - name: "%s"
                        protocol: udp
                        address: 192.0.2.11
                        port: 53
                        realServers:
                          - { address: 10.0.0.53, port: 53 }
                    """.formatted(up.getLocalPort(), closed, SCRIPT_NAME.replace("\"", "\\\""));
            Supervised file = ConfigReader.readSupervised("status.yaml", yaml.getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML);
            MemoryIpvs table = new MemoryIpvs();
            Supervisor supervisor = new Supervisor(() -> table, dir.resolve("state"),
                    NetworkNamespace.threadFactory(null, "status-test"), 1, e -> { });
            supervisor.start(file);
            ServiceKey web = ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80);
            Destination upServer = Destination.of(Addresses.literal("127.0.0.1"), up.getLocalPort());
            table.traffic(web, upServer, 7, 2, new Stats(100, 1000, 900, 64000, 1280000, 3, 30, 27, 2048, 40960));
            Routes routes = Routes.of(supervisor, () -> table, () -> Stats.ZERO,
                    new ServeFile(Path.of("/nonexistent/jipvs.yaml"), "yaml", "jipvs serve"), null);
            ServeHttp http = ServeHttp.start(new InetSocketAddress(Addresses.literal("127.0.0.1"), 0), null, null, routes,
                    new EventStream(), m -> {
                        throw new AssertionError(m);
                    });
            String upKey = "127.0.0.1:" + up.getLocalPort();
            String downKey = "127.0.0.1:" + closed;
            try (Chromium browser = Chromium.open("http://127.0.0.1:" + http.tcpAddress().getPort() + "/", 1280, 900)) {
                awaitPage(browser, "document.querySelectorAll('tr.rs').length === 3"
                        + " && document.querySelector('tr.rs.health-down') !== null");
                assertEquals(List.of("TCP 192.0.2.10:80", "UDP 192.0.2.11:53"),
                        strings(browser.evaluate("[...document.querySelectorAll('section.service')].map(s => s.dataset.key)")));
                assertEquals("rs health-up", browser.evaluate(row(upKey) + ".className").asText());
                assertEquals("rs health-down", browser.evaluate(row(downKey) + ".className").asText());
                assertEquals("rs health-unchecked", browser.evaluate(row("10.0.0.53:53") + ".className").asText());
                assertEquals("7", browser.evaluate(row(upKey) + ".cells[3].textContent").asText(), "active connections");
                assertEquals("3 / 3", browser.evaluate(row(upKey) + ".cells[2].textContent").asText().strip(),
                        "configured / effective weight");
                // The name is text: shown as written, no element made from it, the title untouched.
                assertTrue(browser.evaluate("document.querySelectorAll('section h2')[1].textContent").asText()
                        .startsWith(SCRIPT_NAME));
                assertEquals(1, browser.evaluate("document.querySelectorAll('script').length").asInt());
                assertEquals("jipvs", browser.evaluate("document.title").asText());
                Path shots = Path.of(System.getProperty("jipvs.it.results", System.getProperty("java.io.tmpdir")), "screenshots");
                browser.screenshot(shots.resolve("status-1280.png"));
                System.out.println("status page screenshot: " + shots.resolve("status-1280.png"));

                // A drain through serve's engine (what the API does): the page follows without a reload.
                browser.evaluate("window.notReloaded = true");
                assertEquals(null, supervisor.override(new Member(web, RealServerKey.of(upServer)), 0));
                // A refresh may land between the override and the kernel's change (the state reads
                // them one after the other): the next one shows both.
                awaitPage(browser, row(upKey) + ".className === 'rs drained' && " + row(upKey)
                        + ".cells[2].textContent.trim() === '0 (set) / 0'");
                assertTrue(browser.evaluate("window.notReloaded === true").asBoolean(), "the page was not reloaded");

                // A phone: no sideways scrolling, each real server a block of labelled lines.
                browser.viewport(390, 844, true);
                awaitPage(browser, "getComputedStyle(document.querySelector('thead')).display === 'none'");
                assertTrue(browser.evaluate("document.documentElement.scrollWidth <= 390").asBoolean(),
                        "width at 390 px: " + browser.evaluate("document.documentElement.scrollWidth"));
                browser.screenshot(shots.resolve("status-phone.png"));
                System.out.println("status page screenshot: " + shots.resolve("status-phone.png"));
            } finally {
                http.close();
                supervisor.stop(false);
            }
        }
    }

    private static String row(String key) {
        return "document.querySelector('tr.rs[data-key=\"" + key + "\"]')";
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Polls the page every 100 ms for up to 60 s (the browser runs under emulation in the lab). */
    private static void awaitPage(Chromium browser, String condition) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!browser.evaluate("!!(" + condition + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed: " + condition + "\n"
                        + browser.evaluate("document.body.innerText").asText());
            }
            Thread.sleep(100);
        }
    }
}
