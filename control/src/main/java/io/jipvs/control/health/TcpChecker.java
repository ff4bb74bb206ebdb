package io.jipvs.control.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.Inet6Address;

/**
 * tcp: the connection is accepted within the timeout (keepalived TCP_CHECK), then reset (the
 * same packets as keepalived's SO_LINGER 0 close: no TIME_WAIT on the director, no FIN dance on
 * the server).
 *
 * <p>On epoll each checked real server keeps one socket from check to check, registered with the
 * event loop once. A check is a non-blocking connect; its end is a {@code connect(AF_UNSPEC)},
 * which resets an established connection as a linger-0 close does and leaves the socket ready for
 * the next connect. (One difference on the wire: the kernel derives a reused socket's initial
 * sequence number from the one before, where a new socket draws a fresh one.) Per check that is
 * two system calls (and SO_ERROR on a failure) where a socket of its own costs seven (socket,
 * SO_LINGER, Netty's getsockname, connect, epoll_ctl, SO_ERROR, close), and the kernel no longer
 * allocates and frees a socket and its file every time.
 */
final class TcpChecker implements Checker {
    /** On epoll: this server's socket, made at its first check. */
    private Connector connector;

    @Override
    public void start(Probe probe) {
        if (Transport.EPOLL) {
            if (connector == null) {
                connector = new Connector(probe);
            }
            connector.start(probe);
            return;
        }
        ChannelFuture f = connect(probe, new ChannelInboundHandlerAdapter());
        f.addListener(done -> {
            if (done.isSuccess()) {
                probe.pass("connected");
            } else {
                probe.fail(done.cause());
            }
        });
    }

    @Override
    public void close() {
        if (connector != null) {
            connector.retire();
        }
    }

    /** A TCP connection from the probe's source to its target, closed with the probe. */
    static ChannelFuture connect(Probe probe, io.netty.channel.ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(probe.loop).channel(Transport.socket())
                // No connect timeout of Netty's: the probe's own timeout closes the channel.
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .option(ChannelOption.SO_LINGER, 0)
                .handler(handler);
        ChannelFuture f = probe.source == null ? b.connect(probe.target) : b.connect(probe.target, probe.source);
        probe.channel(f.channel());
        return f;
    }

    /**
     * One real server's socket on the epoll loop: registered once, edge-triggered, and watched for
     * the connect of the probe in flight. Only the loop's thread touches it.
     */
    private static final class Connector implements EpollIoHandle {
        /** epoll's hang-up flag (Linux ABI), which Netty's EpollIoOps does not name. */
        private static final int EPOLLHUP = 0x010;
        /**
         * Edge-triggered: a socket between checks is closed, and a closed socket is always
         * "hung up"; level-triggered, the loop would wake for it without end.
         */
        private static final EpollIoOps INTEREST = EpollIoOps.EPOLLOUT.with(EpollIoOps.EPOLLET);

        private final boolean ipv6;
        private final IoEventLoop loop;
        private LinuxSocket socket;
        private IoRegistration registration;
        /** The probe whose connect is in flight, or null between checks. */
        private Probe current;
        /** The watch has ended: the socket closes once no probe uses it. */
        private boolean retired;

        Connector(Probe first) {
            this.ipv6 = first.target.getAddress() instanceof Inet6Address;
            this.loop = (IoEventLoop) first.loop;
        }

        void start(Probe probe) {
            try {
                if (socket == null) {
                    open(probe);
                }
            } catch (IOException | RuntimeException e) {
                drop();
                probe.fail(e);
                return;
            }
            if (current != null) {
                end(current); // never while a probe is in flight, but never on top of one either
            }
            current = probe;
            probe.closeWith(() -> end(probe));
            try {
                if (socket.connect(probe.target)) {
                    probe.pass("connected");
                }
            } catch (IOException e) {
                probe.fail(e);
            }
        }

        /** A new socket, its source bound, registered with the loop (at once: this is its thread). */
        private void open(Probe probe) throws IOException {
            socket = LinuxSocket.newSocketStream(ipv6);
            if (probe.source != null) {
                socket.bind(probe.source);
            }
            io.netty.util.concurrent.Future<IoRegistration> registered = loop.register(this);
            if (!registered.isSuccess()) {
                throw new IOException("epoll registration failed", registered.cause());
            }
            registration = registered.getNow();
            registration.submit(INTEREST);
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration r, IoEvent event) {
            Probe probe = current;
            if (probe == null || probe.finished()) {
                return; // the edge of the last check's disconnect
            }
            int ops = ((EpollIoEvent) event).ops().value();
            try {
                if ((ops & EpollIoOps.EPOLLERR.value()) != 0) {
                    // SO_ERROR: the connect's error, thrown as an exception that names it.
                    socket.finishConnect();
                } else if ((ops & EpollIoOps.EPOLLOUT.value()) != 0 && (ops & EPOLLHUP) == 0) {
                    // epoll reports the socket's state when it delivers: writable and not hung up
                    // is established (a connect in flight is neither; a refused one has an error).
                    probe.pass("connected");
                }
            } catch (IOException | RuntimeException e) {
                // A RuntimeException is thrown by what a result runs (the listener): escaping, it
                // would end the rest of this epoll batch, whose edges would not come back.
                probe.fail(e);
            }
        }

        /**
         * The probe is over (passed, failed or timed out): reset the connection. The reset leaves
         * ECONNRESET on the socket; the next connect clears it before it sends its SYN (the
         * kernel's tcp_connect_init), so reading it away here would be a system call for nothing.
         */
        private void end(Probe probe) {
            if (current != probe) {
                return;
            }
            current = null;
            if (socket == null) {
                return; // the loop closed it as it shut down
            }
            try {
                socket.disconnect();
            } catch (IOException e) {
                drop(); // the next check opens a new socket
            }
            if (retired) {
                drop();
            }
        }

        /** The watch ended; on the loop's thread. */
        void retire() {
            retired = true;
            if (current == null) {
                drop();
            }
        }

        /** Leaves epoll (Netty asks fd() for that), then closes the socket. */
        private void drop() {
            IoRegistration r = registration;
            registration = null;
            if (r != null) {
                r.cancel();
            }
            LinuxSocket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Nothing to do about a failed close of a probe's socket.
                }
            }
        }

        /** Netty's, as the loop shuts down. */
        @Override
        public void close() {
            current = null;
            drop();
        }
    }
}
