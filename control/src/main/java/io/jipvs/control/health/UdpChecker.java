package io.jipvs.control.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.HexFormat;

/**
 * udp (keepalived UDP_CHECK): the payload is sent on a connected socket, so that the kernel hands
 * an ICMP unreachable back as an error: that fails the check, a reply passes it, and silence
 * until the timeout passes it unless a reply is required.
 */
final class UdpChecker implements Checker {
    @Override
    public void start(Probe probe) {
        byte[] payload = HexFormat.of().parseHex(probe.spec.udp().payload());
        Bootstrap b = new Bootstrap().group(probe.loop).channel(Transport.datagram())
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket reply) {
                        probe.pass("reply of " + reply.content().readableBytes() + " bytes");
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        probe.fail(cause);
                    }
                });
        ChannelFuture f = probe.source == null ? b.connect(probe.target) : b.connect(probe.target, probe.source);
        probe.channel(f.channel());
        f.addListener(connected -> {
            if (!connected.isSuccess()) {
                probe.fail(connected.cause());
                return;
            }
            f.channel().writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener(sent -> {
                if (!sent.isSuccess()) {
                    probe.fail(sent.cause());
                }
            });
        });
    }
}
