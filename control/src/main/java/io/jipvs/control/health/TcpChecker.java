package io.jipvs.control.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

/** tcp: the connection is accepted within the timeout (keepalived TCP_CHECK), then closed. */
final class TcpChecker implements Checker {
    @Override
    public void start(Probe probe) {
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
}
