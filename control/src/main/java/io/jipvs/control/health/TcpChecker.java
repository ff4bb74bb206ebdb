package io.jipvs.control.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.Inet6Address;

/**
 * tcp: the connection is accepted within the timeout (keepalived TCP_CHECK), then closed with a
 * reset (SO_LINGER 0: no TIME_WAIT on the director, no FIN dance on the server).
 *
 * <p>On epoll the check is a bare non-blocking connect registered with the event loop: socket,
 * SO_LINGER, connect, one epoll_ctl, SO_ERROR, close. A Netty channel costs some ten system calls
 * more (local and peer addresses, TCP_NODELAY, re-arming interest), which at thousands of checks
 * a second is most of the difference to keepalived's checker.
 */
final class TcpChecker implements Checker {
    @Override
    public void start(Probe probe) {
        if (Transport.EPOLL) {
            Attempt.start(probe);
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

    /** One connect on the epoll loop, watched for EPOLLOUT until it completes or fails. */
    private static final class Attempt implements EpollIoHandle {
        private final Probe probe;
        private final LinuxSocket socket;
        private IoRegistration registration;

        private Attempt(Probe probe, LinuxSocket socket) {
            this.probe = probe;
            this.socket = socket;
        }

        static void start(Probe probe) {
            LinuxSocket socket = LinuxSocket.newSocketStream(probe.target.getAddress() instanceof Inet6Address);
            Attempt attempt = new Attempt(probe, socket);
            probe.closeWith(attempt::release);
            try {
                socket.setSoLinger(0);
                if (probe.source != null) {
                    socket.bind(probe.source);
                }
                if (socket.connect(probe.target)) {
                    probe.pass("connected");
                    return;
                }
            } catch (IOException e) {
                probe.fail(e);
                return;
            }
            // On the loop's own thread the registration is done at once: no listener needed.
            io.netty.util.concurrent.Future<IoRegistration> registered = ((IoEventLoop) probe.loop).register(attempt);
            if (registered.isDone()) {
                attempt.registered(registered);
            } else {
                registered.addListener(f -> attempt.registered(registered));
            }
        }

        private void registered(io.netty.util.concurrent.Future<IoRegistration> f) {
            if (!f.isSuccess()) {
                probe.fail(f.cause());
                return;
            }
            registration = f.getNow();
            if (probe.finished()) {
                registration.cancel();
            } else {
                registration.submit(EpollIoOps.EPOLLOUT);
            }
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration r, IoEvent event) {
            if (probe.finished()) {
                return;
            }
            try {
                // SO_ERROR: 0 is a completed connection; anything else is thrown as the connect's error.
                if (socket.finishConnect()) {
                    probe.pass("connected");
                }
            } catch (IOException e) {
                probe.fail(e);
            }
        }

        /** Closes the socket, then drops the registration: a closed descriptor has left epoll already. */
        void release() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing to do about a failed close of a probe's socket.
            }
            IoRegistration r = registration;
            if (r != null) {
                r.cancel();
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
