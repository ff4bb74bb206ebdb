package io.jipvs.cli.daemon;

import io.jipvs.cli.Jipvs;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.enxio.channels.NativeDeviceChannel;

/**
 * The resident half of jipvs: keeps one warm JVM and runs the ipvsadm command lines jipvs-client
 * hands it, on the client's own stdin, stdout and stderr and over the client's own netlink socket
 * (see {@link Wire}). Each connection gets a thread; commands of different clients run side by
 * side, as separate ipvsadm processes would.
 *
 * <p>It serves ipvsadm command lines only and declines everything else (the helper subcommands,
 * which keep state files and are run rarely), so those run on the JVM path exactly as before.
 *
 * <p>{@link #stop} ends it without cutting a command short: no new command starts, and those
 * running finish (a -R applies its whole input) before the daemon goes.
 */
public final class Daemon implements Closeable {
    /** Commands running at once; further clients wait in the listen backlog. */
    private static final int MAX_CLIENTS = 32;
    /**
     * How long {@link #stop} waits for the commands in flight: far more than a restore of tens of
     * thousands of lines takes, and less than systemd's 90 s before it sends SIGKILL.
     */
    public static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** Decides which requests run here; the rest are declined to the JVM path. */
    public interface Filter {
        /**
         * Why {@code request} must run in a process of its own, or null if it may run here.
         *
         * @param stdinTerminal whether the caller's stdin is a terminal
         */
        String declines(Wire.Request request, boolean stdinTerminal);
    }

    private final Listener listener;
    /** The daemon's own network namespace: a caller's socket without --netns must be from it. */
    private final long cookie;
    private final Filter filter;
    private final PrintWriter log;
    private final boolean verbose;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    /** Counted down when {@link #serve} returns: nothing more is accepted. */
    private final CountDownLatch served = new CountDownLatch(1);
    /** Guards {@link #stopping}, {@link #closed}, {@link #connections} and {@link #running}. */
    private final Object state = new Object();
    private boolean stopping;
    private boolean closed;
    private int connections;
    /** The commands started and not yet finished, by connection: what a stop would cut short. */
    private final Map<Long, String> running = new LinkedHashMap<>();

    private Daemon(Listener listener, long cookie, Filter filter, PrintWriter log, boolean verbose) {
        this.listener = listener;
        this.cookie = cookie;
        this.filter = filter;
        this.log = log;
        this.verbose = verbose;
    }

    /**
     * Listens on the socket systemd passed, if it passed one, else on this network namespace's
     * socket in /run/jipvs.
     *
     * @throws IOException when another daemon already serves this namespace, among others
     */
    public static Daemon listen(Filter filter, PrintWriter log, boolean verbose) throws IOException {
        long cookie = NetworkNamespace.cookie();
        Listener listener = Listener.handedOver(System.getenv());
        if (listener == null) {
            listener = Listener.bind(Listener.path(cookie));
        }
        return new Daemon(listener, cookie, filter, log, verbose);
    }

    /** Where the daemon listens, for its log. */
    public String address() {
        return listener.describe();
    }

    /** Accepts and serves clients until the socket is closed or {@link #stop} has begun. */
    public void serve() {
        try {
            accept();
        } finally {
            served.countDown();
        }
    }

    private void accept() {
        long connection = 0;
        while (!isClosed()) {
            slots.acquireUninterruptibly();
            int client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                // EINVAL: the socket was shut down by stop().
                slots.release();
                if (isClosed() || isStopping()) {
                    return;
                }
                // Out of descriptors, say: the daemon must outlive it.
                log.println("jipvs daemon: " + e.getMessage());
                log.flush();
                sleep();
                continue;
            }
            long id = ++connection;
            synchronized (state) {
                connections++;
            }
            try {
                Thread t = new Thread(() -> {
                    try {
                        handle(id, client);
                    } finally {
                        ended();
                        slots.release();
                    }
                }, "jipvs-client");
                t.setDaemon(true);
                t.start();
            } catch (OutOfMemoryError e) {
                ended();
                slots.release();
                SystemCalls.libc().close(client);
                log.println("jipvs daemon: no thread for a client: " + e.getMessage());
                log.flush();
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isStopping() {
        synchronized (state) {
            return stopping;
        }
    }

    private boolean isClosed() {
        synchronized (state) {
            return closed;
        }
    }

    private void ended() {
        synchronized (state) {
            connections--;
            state.notifyAll();
        }
    }

    /**
     * Stops the daemon without cutting a command short (the SIGTERM path): new clients are refused
     * at once and fall back to the JVM path, clients already queued or still sending their request
     * are declined, and the commands running are waited for, at most {@code wait}. What is still
     * running then is named in the log: the daemon's exit will cut it off.
     */
    public void stop(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        int inFlight;
        boolean open;
        synchronized (state) {
            stopping = true;
            inFlight = connections;
            open = !closed;
        }
        note("stopping: no new commands; " + inFlight + " client(s) connected, waiting up to " + wait.toSeconds()
                + " s for their commands");
        if (open) {
            // Not close: a bound socket refuses connect() from now on, while the clients already in
            // the listen backlog are still accepted (and declined); see Listener.stopAccepting.
            listener.stopAccepting();
        }
        try {
            served.await(remaining(deadline), TimeUnit.NANOSECONDS);
            synchronized (state) {
                for (long left = remaining(deadline); connections > 0 && left > 0; left = remaining(deadline)) {
                    TimeUnit.NANOSECONDS.timedWait(state, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (state) {
            if (connections == 0) {
                note("stopped: every command finished");
            } else {
                // Not only under --verbose: a command cut off here may have changed part of the table.
                synchronized (log) {
                    log.println("jipvs daemon: stopping after " + wait.toSeconds() + " s with " + connections
                            + " client(s) unfinished; cut off: " + (running.isEmpty() ? "none started"
                            : String.join(", ", running.values())));
                    log.flush();
                }
            }
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** Closes the socket and removes its name; idempotent. */
    @Override
    public void close() throws IOException {
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
        }
        listener.close();
    }

    private void handle(long id, int socket) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Wire.REQUEST_DEADLINE_MS);
        List<NativeDeviceChannel> passed = new ArrayList<>();
        AtomicInteger netlink = new AtomicInteger(-1);
        int netns = -1;
        boolean registered = false;
        try {
            // Who it is, before reading a byte: a caller that may not use the daemon gets no
            // memory, no time and no descriptors of it.
            Peer peer = Peer.identify(socket);
            if (peer.why() != null) {
                note("pid " + peer.pid() + ": declined, " + peer.why());
                try {
                    SystemCalls.sendAll(socket, Wire.declined());
                } catch (IOException e) {
                    // Gone already: the client's own check of the daemon may have failed first.
                }
                return;
            }
            Wire.Request request = receive(socket, passed, netlink, deadline);
            if (request == null) {
                note("pid " + peer.pid() + ": left without a request");
                return;
            }
            String declined = declines(request, PassedDescriptors.isTerminal(passed.get(0).getFD()));
            Path path = null;
            if (declined == null) {
                try {
                    path = Jipvs.netns(request.args());
                } catch (InvalidPathException e) {
                    declined = "--netns is no path";
                }
            }
            if (declined == null) {
                if (path == null) {
                    if (NetworkNamespace.socketCookie(netlink.get()) != cookie) {
                        declined = "its netlink socket is of another network namespace";
                    }
                } else {
                    netns = NetworkNamespace.ofSocket(netlink.get());
                    declined = sameNamespace(path, netns);
                }
            }
            String command = "pid " + peer.pid() + ": " + String.join(" ", request.args());
            if (declined == null) {
                synchronized (state) {
                    if (stopping) {
                        // Not started, so nothing half done: the client runs it on the JVM path.
                        declined = "the daemon is stopping";
                    } else {
                        running.put(id, command);
                        registered = true;
                    }
                }
            }
            if (declined != null) {
                release(passed);
                note("pid " + peer.pid() + ": declined, " + declined);
                SystemCalls.sendAll(socket, Wire.declined());
                return;
            }
            SystemCalls.sendAll(socket, Wire.accepted());
            byte[] go = new byte[1];
            readFully(socket, go, 0, deadline);
            if (go[0] != Wire.GO) {
                throw new Wire.WireException("no go from the client");
            }
            int fd = netns;
            Jipvs.Table table = new Jipvs.Table(() -> IpvsClient.adopt(netlink.getAndSet(-1)), fd);
            int status = run(request, passed, table);
            // Our copies of the caller's descriptors close before it hears the status: a reader
            // of its stdout (a pipe, $(...)) must see end-of-file when the caller exits.
            release(passed);
            // Logged before the caller hears the status: whoever sees the caller exit sees the line.
            note(command + " -> " + status);
            SystemCalls.sendAll(socket, Wire.status(status));
        } catch (IOException | Wire.WireException | RuntimeException | Error e) {
            // An Error too (out of memory, say): one client's trouble must not end the daemon.
            log.println("jipvs daemon: dropped a client: " + e);
            log.flush();
        } finally {
            if (registered) {
                synchronized (state) {
                    running.remove(id);
                }
            }
            release(passed);
            int unused = netlink.getAndSet(-1);
            if (unused >= 0) {
                SystemCalls.libc().close(unused);
            }
            if (netns >= 0) {
                SystemCalls.libc().close(netns);
            }
            SystemCalls.libc().close(socket);
        }
    }

    /**
     * Null when {@code path} names the namespace open as {@code netns} (same device and inode),
     * else why not. The client opened its socket in the namespace it found at that path; here the
     * same path must mean the same namespace, or the caller would see another table than it named.
     */
    private static String sameNamespace(Path path, int netns) {
        try {
            Map<String, Object> named = Files.readAttributes(path, "unix:dev,ino");
            Map<String, Object> socket = Files.readAttributes(Path.of("/proc/self/fd/" + netns), "unix:dev,ino");
            return named.equals(socket) ? null : "--netns " + path + " is not the namespace of its netlink socket";
        } catch (IOException | RuntimeException e) {
            return "--netns " + path + " unreadable here (" + e.getMessage() + ")";
        }
    }

    private static void release(List<NativeDeviceChannel> passed) {
        for (NativeDeviceChannel fd : passed) {
            try {
                fd.close();
            } catch (IOException ignored) {
                // Already gone: nothing left to release.
            }
        }
        passed.clear();
    }

    /** The filter's answer; a filter that fails declines (the JVM path then reports the problem). */
    private String declines(Wire.Request request, boolean stdinTerminal) {
        try {
            return filter.declines(request, stdinTerminal);
        } catch (RuntimeException e) {
            return "the filter failed: " + e;
        }
    }

    private void note(String line) {
        if (verbose) {
            synchronized (log) {
                log.println("jipvs daemon: " + line);
                log.flush();
            }
        }
    }

    /**
     * Reads one request by {@code deadline}, or returns null if the client closed the connection
     * without sending anything; the standard descriptors that came with it are added
     * to {@code passed}, the netlink socket goes to {@code netlink}.
     */
    private static Wire.Request receive(int socket, List<NativeDeviceChannel> passed, AtomicInteger netlink,
                                        long deadline) throws IOException, Wire.WireException {
        if (!SystemCalls.awaitReadable(socket, deadline)) {
            throw new IOException("no complete request within " + Wire.REQUEST_DEADLINE_MS + " ms");
        }
        PassedDescriptors.Received first = PassedDescriptors.receive(socket, Wire.HEADER);
        List<Integer> fds = first.descriptors();
        if (first.data().length == 0 && fds.isEmpty()) {
            return null; // connected and closed: another daemon looking whether this one is alive
        }
        if (fds.size() != Wire.PASSED_FDS) {
            PassedDescriptors.closeAll(fds);
            throw new Wire.WireException("expected " + Wire.PASSED_FDS + " descriptors, got " + fds.size());
        }
        for (int i = 0; i < Wire.NETLINK_FD; i++) {
            passed.add(new NativeDeviceChannel(fds.get(i)));
        }
        netlink.set(fds.get(Wire.NETLINK_FD));
        if (first.data().length == 0) {
            throw new IOException("client closed the connection mid-request");
        }
        byte[] head = new byte[Wire.HEADER];
        System.arraycopy(first.data(), 0, head, 0, first.data().length);
        readFully(socket, head, first.data().length, deadline);
        byte[] payload = new byte[Wire.payloadLength(head)];
        readFully(socket, payload, 0, deadline);
        return Wire.decode(payload);
    }

    private static void readFully(int socket, byte[] into, int from, long deadline) throws IOException {
        byte[] chunk = new byte[Math.min(into.length - from, 64 << 10)];
        int at = from;
        while (at < into.length) {
            if (!SystemCalls.awaitReadable(socket, deadline)) {
                throw new IOException("no complete request within " + Wire.REQUEST_DEADLINE_MS + " ms");
            }
            long n = SystemCalls.libc().recv(socket, chunk, Math.min(chunk.length, into.length - at),
                    SystemCalls.MSG_DONTWAIT);
            if (n < 0) {
                int errno = SystemCalls.errno();
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    continue;
                }
                throw new IOException("recv: errno " + errno);
            }
            if (n == 0) {
                throw new IOException("client closed the connection mid-request");
            }
            System.arraycopy(chunk, 0, into, at, (int) n);
            at += (int) n;
        }
    }

    /**
     * Runs the command line on the client's descriptors and table, as the JVM path's main would.
     * Whatever goes wrong inside, the caller gets one line and a nonzero status, never a trace.
     */
    private int run(Wire.Request request, List<NativeDeviceChannel> fds, Jipvs.Table table) {
        InputStream in = Channels.newInputStream(fds.get(0));
        PrintStream out = new PrintStream(new BufferedOutputStream(Channels.newOutputStream(fds.get(1)), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(Channels.newOutputStream(fds.get(2)), true, StandardCharsets.UTF_8);
        int status;
        try {
            status = Jipvs.run(request.program(), request.args().toArray(String[]::new), in, out, err, table);
        } catch (RuntimeException | Error e) {
            err.println(request.program() + ": the jipvs daemon failed to run this command: " + e);
            log.println("jipvs daemon: failed: " + String.join(" ", request.args()) + ": " + e);
            log.flush();
            status = 2;
        }
        out.flush();
        err.flush();
        return status;
    }
}
