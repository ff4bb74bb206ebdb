package io.jipvs.control.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * dns (keepalived DNS_CHECK): one query over UDP; the answer must carry the query's ID, be a
 * response, and have the expected response code (NOERROR unless told).
 */
final class DnsChecker implements Checker {
    /** The response codes a check may expect, by their RFC 1035/2136 names; the index is the code. */
    static final java.util.List<String> RCODES = java.util.List.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
            "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE");

    static String rcodeName(int code) {
        return code < RCODES.size() ? RCODES.get(code) : "RCODE" + code;
    }

    @Override
    public void start(Probe probe) {
        CheckSpec.Dns dns = probe.spec.dns();
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        Bootstrap b = new Bootstrap().group(probe.loop).channel(Transport.datagram())
                .handler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.DatagramChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DatagramDnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse r) {
                                        if (r.id() != id || !r.sender().equals(probe.target)) {
                                            return;
                                        }
                                        String rcode = rcodeName(r.code().intValue());
                                        if (rcode.equalsIgnoreCase(dns.rcode())) {
                                            probe.pass("rcode " + rcode);
                                        } else {
                                            probe.fail("rcode " + rcode + ", expected " + dns.rcode());
                                        }
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        probe.fail(cause);
                                    }
                                });
                    }
                });
        InetSocketAddress local = probe.source != null ? probe.source : new InetSocketAddress(0);
        ChannelFuture f = b.bind(local);
        probe.channel(f.channel());
        f.addListener(bound -> {
            if (!bound.isSuccess()) {
                probe.fail(bound.cause());
                return;
            }
            DatagramDnsQuery q = new DatagramDnsQuery(null, probe.target, id);
            q.setRecursionDesired(true);
            q.setRecord(DnsSection.QUESTION, new DefaultDnsQuestion(dns.name(), DnsRecordType.valueOf(dns.queryType())));
            f.channel().writeAndFlush(q).addListener(sent -> {
                if (!sent.isSuccess()) {
                    probe.fail(sent.cause());
                }
            });
        });
    }
}
