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
                // Each of the two servers holds its socket from its first check on.
                long before = descriptors();
                take(results, 200);
                m.watch(Map.of(), x -> HealthState.Status.UP);
                // Ending the watches closes both sockets; a probe in flight when its watch ended
                // closes its socket with its timeout at the latest. Other threads of the JVM
                // (surefire's, the JIT's) open descriptors for a moment too: the count is judged
                // on one reading, the first at or below the start less the two sockets.
                assertTrue(awaitDescriptors(before - 2), "descriptors after 200 checks and the end of both watches: "
                        + descriptors() + ", while watching: " + before);
            }
        }
    }

    /**
     * A server's checks share one socket, reset after each: a refusal, a pass, a timeout and a
     * pass again must each be judged on their own, with nothing left over from the one before
     * (the reset's ECONNRESET, a connect still pending).
     */
    @Test
    void oneSocketCarriesAServerThroughRefusalPassAndTimeout() throws Exception {
        int port = freePort();
        BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
        try (HealthMonitor m = new HealthMonitor(Thread::new, 1, (member, r, t, s) -> results.add(r))) {
            watch(m, spec(Duration.ofMillis(300)), port);
            CheckResult refused = take(results, 1);
            assertEquals("connect: Connection refused", refused.detail());
            // Backlog 1 and never accepted: two connections fill the queue (reset, they stay in it
            // until accepted), and the next SYN is dropped: the check times out.
            try (ServerSocket unaccepted = new ServerSocket(port, 1, LOOPBACK)) {
                CheckResult passed = until(results, CheckResult::ok);
                assertEquals("connected", passed.detail());
                CheckResult timedOut = until(results, r -> !r.ok());
                assertEquals("timed out after 300 ms", timedOut.detail());
            }
            // A listener whose queue outlasts the test: the same socket connects again.
            try (ServerSocket roomy = new ServerSocket(port, 500, LOOPBACK)) {
                until(results, CheckResult::ok);
                for (int i = 0; i < 20; i++) {
                    assertTrue(take(results, 1).ok(), "every check after the timeout passes");
                }
            }
            // Closing a listener resets what waits in its queue: a check whose connect was
            // accepted just before reads that reset; the next one is refused.
            until(results, r -> r.detail().equals("connect: Connection refused"));
        }
    }

    /** A watch that ends while its connect is in flight closes its socket when the probe ends. */
    @Test
    void aWatchEndedDuringAConnectClosesItsSocketWhenTheProbeEnds() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, LOOPBACK)) {
            BlockingQueue<CheckResult> results = new LinkedBlockingQueue<>();
            try (HealthMonitor m = new HealthMonitor(Thread::new, 1, (member, r, t, s) -> results.add(r))) {
                watch(m, spec(Duration.ofSeconds(1)), full.getLocalPort());
                // Once the queue is full, every connect waits out the second: the next one is in
                // flight for most of it.
                until(results, r -> !r.ok());
                Thread.sleep(100);
                long before = descriptors();
                m.watch(Map.of(), x -> HealthState.Status.UP);
                assertTrue(awaitDescriptors(before - 1), "descriptors after the watch ended: " + descriptors()
                        + ", while watching: " + before);
            }
        }
    }

    private static CheckSpec spec(Duration timeout) {
        return new CheckSpec(CheckType.TCP, Duration.ofMillis(20), timeout, 1, 1,
                Duration.ofMillis(20), Duration.ZERO, false, null, 0, null, null, null, null, null);
    }

    /** Whether the descriptors fall to {@code most} or fewer within 5 s, judged on one reading. */
    private static boolean awaitDescriptors(long most) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (descriptors() > most) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
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
        watch(m, TCP, ports);
    }

    private static void watch(HealthMonitor m, CheckSpec spec, int... ports) {
        ServiceKey service = ServiceKey.of(Protocol.TCP, LOOPBACK, 80);
        Map<Member, HealthMonitor.Target> targets = new java.util.HashMap<>();
        for (int port : ports) {
            targets.put(new Member(service, new RealServerKey(LOOPBACK, port)),
                    new HealthMonitor.Target(spec, new InetSocketAddress(LOOPBACK, port), null, "test"));
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
