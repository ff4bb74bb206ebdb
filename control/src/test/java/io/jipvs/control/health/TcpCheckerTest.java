package io.jipvs.control.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tcp checker's own logic on loopback: a pass, the refusal's words, and no descriptor left
 * behind. Against real servers and namespaces it is tested in the lab (CheckersIT, ServeIT).
 */
class TcpCheckerTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final CheckSpec TCP = new CheckSpec(CheckType.TCP, Duration.ofMillis(10), Duration.ofSeconds(2), 1, 1,
            Duration.ofMillis(10), Duration.ZERO, false, null, 0, null, null, null, null, null);

    @Test
    void theLeanEpollPathIsTheOneUsedOnLinux() {
        assertEquals("epoll", HealthMonitor.transport());
    }

    @Test
    void passesOnAnAcceptedConnectionAndSaysWhyItFailsOnARefusedOne() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, LOOPBACK)) {
            int closed = freePort();
            assertTrue(first(open.getLocalPort()).ok());
            CheckResult refused = first(closed);
            assertFalse(refused.ok());
            assertEquals("connect: Connection refused", refused.detail());
        }
    }

    @Test
    void twoHundredChecksLeaveNoDescriptorBehind() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 500, LOOPBACK)) {
            int closed = freePort();
            BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
            try (HealthMonitor m = new HealthMonitor(Thread::new, 1, (member, r, t, s) -> results.add(r))) {
                // The monitor's own descriptors (epoll, eventfd, timerfd) are open from here on.
                watch(m, open.getLocalPort(), closed);
                take(results, 2);
                long before = descriptors();
                take(results, 200);
                m.watch(Map.of(), x -> HealthState.Status.UP);
                // A probe in flight when the watch ended closes with its timeout at the latest.
                // Other threads of the JVM (surefire's, the JIT's) open descriptors for a moment
                // too: the count is judged on one reading, the first at or below the start.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                long after = descriptors();
                while (after > before && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    after = descriptors();
                }
                assertTrue(after <= before, "descriptors after 200 checks: " + after + ", before: " + before);
            }
        }
    }

    /**
     * A server's checks share one socket, reset after each: a refusal, a pass, a timeout and a
     * pass again must each be judged on their own, with nothing left over from the one before
     * (the reset's ECONNRESET, a connect still pending) and no socket more than the one.
     */
    @Test
    void oneSocketCarriesAServerThroughRefusalPassAndTimeout() throws Exception {
        int port = freePort();
        CheckSpec quick = new CheckSpec(CheckType.TCP, Duration.ofMillis(20), Duration.ofMillis(300), 1, 1,
                Duration.ofMillis(20), Duration.ZERO, false, null, 0, null, null, null, null, null);
        BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
        try (HealthMonitor m = new HealthMonitor(Thread::new, 1, (member, r, t, s) -> results.add(r))) {
            ServiceKey service = ServiceKey.of(Protocol.TCP, LOOPBACK, 80);
            m.watch(Map.of(new Member(service, new RealServerKey(LOOPBACK, port)),
                    new HealthMonitor.Target(quick, new InetSocketAddress(LOOPBACK, port), null, "test")),
                    x -> HealthState.Status.UP);
            CheckResult refused = take(results, 1);
            assertEquals("connect: Connection refused", refused.detail());
            long sockets = descriptors();
            // Backlog 1 and never accepted: two connections fill the queue (reset, they stay in it
            // until accepted), and the next SYN is dropped: the check times out.
            try (ServerSocket unaccepted = new ServerSocket(port, 1, LOOPBACK)) {
                CheckResult passed = until(results, CheckResult::ok);
                assertEquals("connected", passed.detail());
                CheckResult timedOut = until(results, r -> !r.ok());
                assertEquals("timed out after 300 ms", timedOut.detail());
                // Accepting empties the queue: the same socket connects again.
                Thread drain = new Thread(() -> {
                    try {
                        while (true) {
                            unaccepted.accept().close();
                        }
                    } catch (IOException closed) {
                        // The test is over.
                    }
                });
                drain.start();
                until(results, CheckResult::ok);
                for (int i = 0; i < 20; i++) {
                    assertTrue(take(results, 1).ok(), "every check after the drain passes");
                }
                // The listener and a connection being accepted; other threads of the JVM open
                // descriptors for a moment too. A socket per check left open would be 20 more.
                long now = descriptors();
                assertTrue(now < sockets + 10, "descriptors: " + now + " after 20 checks, " + sockets + " before");
            }
            assertEquals("connect: Connection refused", until(results, r -> !r.ok()).detail());
        }
    }

    /** The first result that {@code test} accepts, within 10 s. */
    private static CheckResult until(BlockingQueue<CheckResult> results, java.util.function.Predicate<CheckResult> test)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            CheckResult r = results.poll(100, TimeUnit.MILLISECONDS);
            if (r != null && test.test(r)) {
                return r;
            }
        }
        throw new AssertionError("no such result within 10 s");
    }

    private static CheckResult first(int port) throws Exception {
        BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
        try (HealthMonitor m = new HealthMonitor(Thread::new, 1, (member, r, t, s) -> results.add(r))) {
            watch(m, port);
            return take(results, 1);
        }
    }

    private static void watch(HealthMonitor m, int... ports) {
        ServiceKey service = ServiceKey.of(Protocol.TCP, LOOPBACK, 80);
        Map<Member, HealthMonitor.Target> targets = new java.util.HashMap<>();
        for (int port : ports) {
            targets.put(new Member(service, new RealServerKey(LOOPBACK, port)),
                    new HealthMonitor.Target(TCP, new InetSocketAddress(LOOPBACK, port), null, "test"));
        }
        m.watch(targets, x -> HealthState.Status.UP);
    }

    private static CheckResult take(BlockingQueue<CheckResult> results, int n) throws InterruptedException {
        CheckResult last = null;
        for (int i = 0; i < n; i++) {
            last = results.poll(10, TimeUnit.SECONDS);
            if (last == null) {
                throw new AssertionError("no result within 10 s after " + i + " of " + n);
            }
        }
        return last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private static long descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
