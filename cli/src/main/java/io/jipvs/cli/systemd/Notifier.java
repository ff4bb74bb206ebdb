package io.jipvs.cli.systemd;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * systemd's readiness protocol (sd_notify(3)) for a {@code Type=notify} unit: one datagram per
 * state change ({@code READY=1}, {@code RELOADING=1}, {@code STOPPING=1}, {@code WATCHDOG=1}) to
 * the socket named by {@code $NOTIFY_SOCKET}. Outside systemd there is no such variable and
 * {@link #fromEnvironment} gives a notifier that sends nothing.
 */
public final class Notifier implements Closeable {
    private final UnixDatagramChannel channel;
    private final UnixSocketAddress target;
    private final Duration watchdog;

    private Notifier(UnixDatagramChannel channel, UnixSocketAddress target, Duration watchdog) {
        this.channel = channel;
        this.target = target;
        this.watchdog = watchdog;
    }

    /**
     * The notifier the environment asks for: to {@code NOTIFY_SOCKET} (a path, or an abstract
     * name written with a leading '@'), with a watchdog when {@code WATCHDOG_USEC} is set for this
     * process ({@code WATCHDOG_PID} absent or ours); a silent one when it is not set.
     *
     * @throws IOException when NOTIFY_SOCKET is set but no datagram socket can be opened
     */
    public static Notifier fromEnvironment(Map<String, String> environment) throws IOException {
        String socket = environment.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return silent();
        }
        if (socket.charAt(0) != '/' && socket.charAt(0) != '@') {
            throw new IOException("NOTIFY_SOCKET is neither a path nor an abstract name: " + socket);
        }
        // An abstract name's '@' is the NUL byte the kernel expects in its place.
        String address = socket.charAt(0) == '@' ? "\0" + socket.substring(1) : socket;
        return new Notifier(UnixDatagramChannel.open(), new UnixSocketAddress(address), watchdog(environment));
    }

    /** A notifier that sends nothing (not under systemd). */
    public static Notifier silent() {
        return new Notifier(null, null, null);
    }

    /** Half the interval systemd expects pings at (as sd_watchdog_enabled(3) advises), or null. */
    static Duration watchdog(Map<String, String> environment) {
        String usec = environment.get("WATCHDOG_USEC");
        String pid = environment.get("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            return null;
        }
        try {
            long micros = Long.parseLong(usec);
            return micros > 0 ? Duration.ofNanos(micros * 1000 / 2) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** How often to send WATCHDOG=1, or null when systemd watches nothing. */
    public Duration watchdogInterval() {
        return watchdog;
    }

    /** Whether systemd listens (NOTIFY_SOCKET was set). */
    public boolean active() {
        return channel != null;
    }

    /**
     * Sends one notification, e.g. "READY=1" or "RELOADING=1\nMONOTONIC_USEC=...". Nothing when
     * systemd does not listen.
     *
     * @throws IOException when the datagram cannot be sent
     */
    public synchronized void send(String state) throws IOException {
        if (channel == null) {
            return;
        }
        channel.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), target);
    }

    /** RELOADING=1 with the clock systemd compares reloads by (CLOCK_MONOTONIC, microseconds). */
    public static String reloading() {
        // System.nanoTime is CLOCK_MONOTONIC on Linux.
        return "RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
