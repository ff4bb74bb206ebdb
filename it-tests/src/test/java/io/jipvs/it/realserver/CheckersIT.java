package io.jipvs.it.realserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.health.CheckResult;
import io.jipvs.control.health.CheckSpec;
import io.jipvs.control.health.HealthMonitor;
import io.jipvs.control.health.HealthState;
import io.jipvs.it.lab.Exec;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.NetworkNamespace;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The https, udp and dns checkers against real peers in namespaces, run from the director's
 * namespace as serve runs them: a TLS server with a self-signed certificate (openssl) that records the SNI
 * name it was sent, a UDP echo server and a closed UDP port (the kernel's ICMP port unreachable),
 * and Debian's dnsmasq.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckersIT {
    private Topology topology;
    private String director;
    private String server;
    private SSLServerSocket tls;
    private DatagramChannel echo;
    private Process dnsmasq;
    private final Set<String> sniSeen = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void build() throws Exception {
        topology = new Topology("chk");
        director = topology.namespace("lb");
        server = topology.namespace("rs");
        topology.veth(director, "eth0", server, "eth0");
        topology.address(director, "eth0", "10.5.0.1/24");
        topology.address(server, "eth0", "10.5.0.2/24");
        tls = Topology.in(server, this::tlsServer);
        Thread t = new Thread(this::serveTls, "tls");
        t.setDaemon(true);
        t.start();
        echo = Topology.in(server, () -> {
            DatagramChannel c = DatagramChannel.open();
            c.bind(new InetSocketAddress("10.5.0.2", 7));
            return c;
        });
        Thread u = new Thread(this::serveEcho, "echo");
        u.setDaemon(true);
        u.start();
        dnsmasq = new ProcessBuilder("ip", "netns", "exec", server, "dnsmasq", "-k", "-C", "/dev/null", "-u", "root",
                "--port=53", "--listen-address=10.5.0.2", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--pid-file=", "--address=/web.example/10.9.9.9").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterAll
    void tearDown() throws IOException {
        if (dnsmasq != null) {
            dnsmasq.destroyForcibly();
        }
        if (tls != null) {
            tls.close();
        }
        if (echo != null) {
            echo.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void httpsSendsTheSniNameAndVerifiesUnlessToldNotTo() throws Exception {
        CheckResult self = check("{ type: https, port: 443, sni: web.example, tlsVerify: false, path: /health }");
        assertTrue(self.ok(), self.toString());
        assertEquals("status 200", self.detail());
        assertTrue(sniSeen.contains("web.example"), "the server saw SNI " + sniSeen);
        CheckResult verified = check("{ type: https, port: 443, sni: web.example }");
        assertFalse(verified.ok(), "a self-signed certificate fails verification: " + verified);
        CheckResult wrongCode = check("{ type: https, port: 443, tlsVerify: false, expect: [204] }");
        assertFalse(wrongCode.ok(), wrongCode.toString());
        assertEquals("status 200, expected 204", wrongCode.detail());
    }

    @Test
    void udpPassesOnAReplyAndFailsOnIcmpPortUnreachable() throws Exception {
        CheckResult reply = check("{ type: udp, port: 7, payload: 6a69707673, requireReply: true }");
        assertTrue(reply.ok(), reply.toString());
        CheckResult closed = check("{ type: udp, port: 7001, payload: '00', timeout: 2s }");
        assertFalse(closed.ok(), closed.toString());
        assertEquals("ICMP port unreachable", closed.detail());
    }

    @Test
    void dnsAsksARealServerAndJudgesItsResponseCode() throws Exception {
        awaitDns();
        CheckResult ok = check("{ type: dns, port: 53, name: web.example, queryType: A }");
        assertTrue(ok.ok(), ok.toString());
        CheckResult nx = check("{ type: dns, port: 53, name: other.example, queryType: A }");
        assertFalse(nx.ok(), nx.toString());
        // dnsmasq without upstream servers refuses what it has no answer for.
        assertEquals("rcode REFUSED, expected NOERROR", nx.detail());
        CheckResult refusedExpected = check("{ type: dns, port: 53, name: other.example, queryType: A, rcode: REFUSED }");
        assertTrue(refusedExpected.ok(), refusedExpected.toString());
    }

    @Test
    void tcpFailsFastOnARefusedConnection() throws Exception {
        CheckResult refused = check("{ type: tcp, port: 9 }");
        assertFalse(refused.ok());
        assertEquals("connect: Connection refused", refused.detail());
        assertTrue(check("{ type: tcp, port: 443 }").ok());
    }

    /**
     * A server's tcp checks share one socket, reset after each check (connect to AF_UNSPEC):
     * check after check it connects from its bindTo address, a refusal in between is judged on
     * its own, and the connects after it pass again.
     */
    @Test
    void tcpChecksCheckAfterCheckFromTheirBindToAddressOnOneSocket() throws Exception {
        topology.address(director, "eth0", "10.5.0.3/24");
        List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();
        BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
        Target t = target("{ type: tcp, port: 8080, interval: 100ms, delayBeforeRetry: 100ms, warmup: 0 }");
        try (HealthMonitor m = new HealthMonitor(NetworkNamespace.threadFactory(Topology.path(director), "chk"), 1,
                (member, result, transition, state) -> results.add(result))) {
            try (ServerSocket listener = listen(peers)) {
                m.watch(Map.of(t.member(), new HealthMonitor.Target(t.spec(),
                        new InetSocketAddress(t.rs().address(), 8080), new InetSocketAddress("10.5.0.3", 0), "test")),
                        x -> HealthState.Status.UP);
                for (int i = 0; i < 5; i++) {
                    CheckResult r = results.poll(10, TimeUnit.SECONDS);
                    assertTrue(r != null && r.ok(), "check " + i + ": " + r);
                }
                awaitPeers(peers, 4);
                assertTrue(peers.stream().allMatch(p -> p.getAddress().getHostAddress().equals("10.5.0.3")),
                        "every check comes from the bindTo address: " + peers);
            }
            // A connect accepted just before the close reads the queue's reset; the next is refused.
            until(results, r -> r.detail().equals("connect: Connection refused"));
            peers.clear();
            try (ServerSocket again = listen(peers)) {
                until(results, CheckResult::ok);
                for (int i = 0; i < 3; i++) {
                    CheckResult r = results.poll(10, TimeUnit.SECONDS);
                    assertTrue(r != null && r.ok(), "check " + i + " after the refusal: " + r);
                }
                awaitPeers(peers, 3);
                assertTrue(peers.stream().allMatch(p -> p.getAddress().getHostAddress().equals("10.5.0.3")),
                        peers.toString());
            }
        }
    }

    /** The listener's thread records peers as it accepts them: it may trail the results a little. */
    private static void awaitPeers(List<InetSocketAddress> peers, int count) throws InterruptedException {
        Await.until(count + " connections", Duration.ofSeconds(10), () -> peers.size() >= count, () -> ": " + peers);
    }

    // ------------------------------------------------------------------ helpers

    /** A listener on 10.5.0.2:8080 in the server's namespace that records each peer and closes. */
    private ServerSocket listen(List<InetSocketAddress> peers) {
        ServerSocket s = Topology.in(server, () -> {
            ServerSocket l = new ServerSocket();
            l.setReuseAddress(true);
            l.bind(new InetSocketAddress("10.5.0.2", 8080), 50);
            return l;
        });
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    peers.add((InetSocketAddress) c.getRemoteSocketAddress());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "listener");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private static CheckResult until(BlockingQueue<CheckResult> results, java.util.function.Predicate<CheckResult> test)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            CheckResult r = results.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && test.test(r)) {
                return r;
            }
        }
        throw new AssertionError("no such result within 20 s");
    }

    /** A check of 10.5.0.2 as a config file states it. */
    private record Target(Member member, RealServerKey rs, CheckSpec spec) {
    }

    private static Target target(String yaml) throws Exception {
        String file = "services:\n  - protocol: tcp\n    address: 10.5.0.100\n    port: 80\n    forwarding: nat\n"
                + "    check: " + yaml + "\n"
                + "    realServers:\n      - { address: 10.5.0.2 }\n";
        Supervised s = ConfigReader.readSupervised("t.yaml", file.getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML);
        ServiceKey key = s.state().services().get(0).key();
        RealServerKey rs = s.state().services().get(0).realServers().stream().map(RealServerKey::of).findFirst().orElseThrow();
        return new Target(new Member(key, rs), rs, s.supervision().get(key).realServers().get(rs).check());
    }

    /** One check of 10.5.0.2 from the director's namespace, through the monitor serve uses. */
    private CheckResult check(String yaml) throws Exception {
        Target t = target(yaml.replace("}", ", warmup: 0, interval: 60s }"));
        CheckSpec spec = t.spec();
        CompletableFuture<CheckResult> first = new CompletableFuture<>();
        try (HealthMonitor m = new HealthMonitor(NetworkNamespace.threadFactory(Topology.path(director), "chk"), 1,
                (member, result, tr, state) -> first.complete(result))) {
            m.watch(Map.of(t.member(), new HealthMonitor.Target(spec,
                    new InetSocketAddress(t.rs().address(), spec.port()), null, "test")), x -> HealthState.Status.UP);
            return first.get(10, TimeUnit.SECONDS);
        }
    }

    private void awaitDns() throws Exception {
        for (int i = 0; i < 100; i++) {
            if (check("{ type: dns, port: 53, name: web.example, queryType: A, timeout: 200ms }").ok()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private SSLServerSocket tlsServer() throws Exception {
        Path dir = Files.createTempDirectory("jipvs-tls");
        Path store = dir.resolve("server.p12");
        // openssl, not keytool: a second JVM under the lab's emulated CPUs once crashed in its JIT.
        Exec.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(),
                "-subj", "/CN=web.example", "-addext", "subjectAltName=DNS:web.example", "-days", "2")).orThrow();
        Exec.run(List.of("openssl", "pkcs12", "-export", "-inkey", dir.resolve("key.pem").toString(), "-in",
                dir.resolve("cert.pem").toString(), "-name", "web", "-out", store.toString(), "-passout",
                "pass:changeit")).orThrow();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket s = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("10.5.0.2", 443));
        return s;
    }

    private void serveTls() {
        while (!tls.isClosed()) {
            try (SSLSocket s = (SSLSocket) tls.accept()) {
                s.setSoTimeout(5000);
                s.startHandshake();
                if (s.getSession() instanceof ExtendedSSLSession e) {
                    e.getRequestedServerNames().forEach(n -> sniSeen.add(((SNIHostName) n).getAsciiName()));
                }
                Http.Responder.readRequest(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            } catch (IOException e) {
                // a failed handshake (the verifying check) or a closed server
            }
        }
    }

    private void serveEcho() {
        ByteBuffer b = ByteBuffer.allocate(2048);
        while (echo.isOpen()) {
            try {
                b.clear();
                java.net.SocketAddress from = echo.receive(b);
                b.flip();
                echo.send(b, from);
            } catch (IOException e) {
                return;
            }
        }
    }

}
