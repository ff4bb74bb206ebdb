package io.jipvs.cli.daemon;

import io.jipvs.cli.Jipvs;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.NotYetBoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jnr.constants.platform.Shutdown;
import jnr.enxio.channels.Native;
import jnr.enxio.channels.NativeDeviceChannel;
import jnr.unixsocket.Credentials;
import jnr.unixsocket.UnixServerSocketChannel;
import jnr.unixsocket.UnixSocketAddress;
import jnr.unixsocket.UnixSocketChannel;
import jnr.unixsocket.UnixSocketOptions;

/**
 * The resident half of jipvs: keeps one warm JVM and runs the ipvsadm command lines jipvs-client
 * hands it, on the client's own stdin, stdout and stderr (see {@link Wire}). Each connection gets
 * a thread; commands of different clients run side by side, as separate ipvsadm processes would.
 *
 * <p>It serves ipvsadm command lines only and declines everything else (the helper subcommands,
 * which keep state files and are run rarely), so those run on the JVM path exactly as before.
 *
 * <p>{@link #stop} ends it without cutting a command short: no new command starts, and those
 * running finish (a -R applies its whole input) before the daemon goes.
 */
public final class Daemon implements Closeable {
    /** How long a connected client may take to send its request before the daemon drops it. */
    private static final int REQUEST_TIMEOUT_MS = 10_000;
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
        String declines(Wire.Request request, Peer peer, boolean stdinTerminal);
    }

    private final UnixServerSocketChannel server;
    private final Filter filter;
    private final PrintWriter log;
    private final boolean verbose;
    private final Semaphore slots = new Semaphore(MAX_CLIENTS);
    /** Counted down when {@link #serve} returns: nothing more is accepted. */
    private final CountDownLatch served = new CountDownLatch(1);
    /** Guards {@link #stopping}, {@link #connections} and {@link #running}; notified as connections end. */
    private final Object state = new Object();
    private boolean stopping;
    private int connections;
    /** The commands started and not yet finished, by connection: what a stop would cut short. */
    private final Map<Long, String> running = new LinkedHashMap<>();

    private Daemon(UnixServerSocketChannel server, Filter filter, PrintWriter log, boolean verbose) {
        this.server = server;
        this.filter = filter;
        this.log = log;
        this.verbose = verbose;
    }

    /**
     * Binds the daemon's socket in the current network namespace.
     *
     * @throws IOException when another daemon already serves this namespace, among others
     */
    public static Daemon bind(Filter filter, PrintWriter log, boolean verbose) throws IOException {
        UnixServerSocketChannel server = UnixServerSocketChannel.open();
        try {
            server.socket().bind(new UnixSocketAddress("\0" + Wire.SOCKET_NAME), 64);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new Daemon(server, filter, log, verbose);
    }

    /** Accepts and serves clients until the socket is closed or {@link #stop} has begun. */
    public void serve() throws IOException {
        try {
            accept();
        } finally {
            served.countDown();
        }
    }

    private void accept() throws IOException {
        long connection = 0;
        while (server.isOpen()) {
            slots.acquireUninterruptibly();
            UnixSocketChannel client;
            try {
                client = server.accept();
            } catch (IOException | NotYetBoundException e) {
                // (jnr reports accept's EINVAL, what a shut-down listening socket answers, as NotYetBound.)
                slots.release();
                if (!server.isOpen() || isStopping()) {
                    return;
                }
                // Out of descriptors, say: the daemon must outlive it.
                log.println("jipvs daemon: accept: " + e.getMessage());
                log.flush();
                sleep();
                continue;
            }
            if (client == null) {
                slots.release();
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
                client.close();
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
        synchronized (state) {
            stopping = true;
            inFlight = connections;
        }
        note("stopping: no new commands; " + inFlight + " client(s) connected, waiting up to " + wait.toSeconds()
                + " s for their commands");
        if (server.isOpen()) {
            // SHUT_RD, not close: connect() is refused from now on, while the clients already in the
            // listen backlog are still accepted (and declined); accept fails once the backlog is empty.
            Native.shutdown(server.getFD(), Shutdown.SHUT_RD.intValue());
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

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void handle(long id, UnixSocketChannel client) {
        List<NativeDeviceChannel> passed = new ArrayList<>();
        try (client) {
            // Who it is, before reading a byte: a caller that may not use the daemon gets no
            // memory, no time and no descriptors of it, and its PID is checked while fresh.
            Credentials credentials = client.getOption(UnixSocketOptions.SO_PEERCRED);
            Peer peer = Peer.identify(credentials.getUid(), credentials.getPid());
            if (peer.why() != null) {
                write(client, Wire.declined());
                note("pid " + peer.pid() + ": declined, " + peer.why());
                return;
            }
            client.setOption(UnixSocketOptions.SO_RCVTIMEO, REQUEST_TIMEOUT_MS);
            Wire.Request request = receive(client, passed);
            String declined = declines(request, peer, PassedDescriptors.isTerminal(passed.get(0).getFD()));
            if (declined != null) {
                release(passed);
                write(client, Wire.declined());
                note("pid " + peer.pid() + ": declined, " + declined);
                return;
            }
            String command = "pid " + peer.pid() + ": " + String.join(" ", request.args());
            boolean started;
            synchronized (state) {
                started = !stopping;
                if (started) {
                    running.put(id, command);
                }
            }
            if (!started) {
                // Not started, so nothing half done: the client runs it on the JVM path.
                release(passed);
                write(client, Wire.declined());
                note("pid " + peer.pid() + ": declined, the daemon is stopping");
                return;
            }
            int status;
            try {
                status = run(request, passed);
            } finally {
                synchronized (state) {
                    running.remove(id);
                }
            }
            // Our copies of the caller's descriptors close before it hears the status: a reader
            // of its stdout (a pipe, $(...)) must see end-of-file when the caller exits.
            release(passed);
            write(client, Wire.status(status));
            note(command + " -> " + status);
        } catch (IOException | Wire.WireException | RuntimeException e) {
            log.println("jipvs daemon: dropped a client: " + e);
            log.flush();
        } finally {
            release(passed);
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
    private String declines(Wire.Request request, Peer peer, boolean stdinTerminal) {
        try {
            return filter.declines(request, peer, stdinTerminal);
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

    /** Reads one request; the descriptors that came with it are added to {@code passed}. */
    private static Wire.Request receive(UnixSocketChannel client, List<NativeDeviceChannel> passed)
            throws IOException, Wire.WireException {
        PassedDescriptors.Received first = PassedDescriptors.receive(client.getFD(), Wire.HEADER);
        for (int fd : first.descriptors()) {
            passed.add(new NativeDeviceChannel(fd));
        }
        if (passed.size() != Wire.PASSED_FDS) {
            throw new Wire.WireException("expected " + Wire.PASSED_FDS + " descriptors, got " + passed.size());
        }
        byte[] head = new byte[Wire.HEADER];
        System.arraycopy(first.data(), 0, head, 0, first.data().length);
        readFully(client, head, first.data().length);
        byte[] payload = new byte[Wire.payloadLength(head)];
        readFully(client, payload, 0);
        return Wire.decode(payload);
    }

    private static void readFully(UnixSocketChannel client, byte[] into, int from) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into, from, into.length - from);
        while (b.hasRemaining()) {
            int n = client.read(b);
            if (n < 0) {
                throw new IOException("client closed the connection mid-request");
            }
            if (n == 0) {
                // A blocking read returns nothing only when SO_RCVTIMEO expired (jnr maps EAGAIN to 0).
                throw new IOException("no complete request within " + REQUEST_TIMEOUT_MS + " ms");
            }
        }
    }

    private static void write(UnixSocketChannel client, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            client.write(b);
        }
    }

    /** Runs the command line on the client's descriptors, as the JVM path's main would. */
    private static int run(Wire.Request request, List<NativeDeviceChannel> fds) {
        InputStream in = Channels.newInputStream(fds.get(0));
        PrintStream out = new PrintStream(new BufferedOutputStream(Channels.newOutputStream(fds.get(1)), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(Channels.newOutputStream(fds.get(2)), true, StandardCharsets.UTF_8);
        int status = Jipvs.run(request.program(), request.args().toArray(String[]::new), in, out, err);
        out.flush();
        err.flush();
        return status;
    }
}
