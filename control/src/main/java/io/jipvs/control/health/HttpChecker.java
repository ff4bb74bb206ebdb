package io.jipvs.control.health;

import io.jipvs.model.Addresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.List;

/**
 * http and https: one request on a fresh connection ({@code Connection: close}), passing when the
 * status is expected and the body matches the regex and the MD5 digest when given (keepalived
 * HTTP_GET and SSL_GET). Bodies above 1 MiB fail: a health page is small.
 */
final class HttpChecker implements Checker {
    static final int MAX_BODY = 1 << 20;
    private final TlsContexts tls;

    HttpChecker(TlsContexts tls) {
        this.tls = tls;
    }

    @Override
    public void start(Probe probe) {
        CheckSpec.Http http = probe.spec.http();
        Pattern regex = http.regex() == null ? null : Pattern.compile(http.regex());
        TcpChecker.connect(probe, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (probe.spec.type() == CheckType.HTTPS) {
                    ch.pipeline().addLast(sslHandler(ch, probe, http));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                ctx.writeAndFlush(request(probe, http));
                                ctx.fireChannelActive();
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                                judge(probe, http, regex, response);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                probe.fail(cause);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                probe.fail("connection closed before a response");
                            }
                        });
            }
        }).addListener(f -> {
            if (!f.isSuccess()) {
                probe.fail(f.cause());
            }
        });
    }

    private SslHandler sslHandler(SocketChannel ch, Probe probe, CheckSpec.Http http) {
        String name = http.serverName();
        String peer = name != null ? name : Addresses.ntop(probe.target.getAddress());
        SSLEngine engine = tls.context(http.tlsVerify()).newEngine(ch.alloc(), peer, probe.target.getPort());
        if (name != null && Addresses.literal(name) == null) {
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(name)));
            engine.setSSLParameters(p);
        }
        return new SslHandler(engine);
    }

    private static FullHttpRequest request(Probe probe, CheckSpec.Http http) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(http.method()),
                http.path());
        String host = http.host();
        if (host == null) {
            String a = Addresses.ntop(probe.target.getAddress());
            host = probe.target.getAddress() instanceof Inet6Address ? "[" + a + "]" : a;
            int port = probe.target.getPort();
            if (port != (probe.spec.type() == CheckType.HTTPS ? 443 : 80)) {
                host = host + ":" + port;
            }
        }
        r.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.USER_AGENT, "jipvs-check")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    private static void judge(Probe probe, CheckSpec.Http http, Pattern regex, FullHttpResponse response) {
        int code = response.status().code();
        if (http.expect().stream().noneMatch(range -> range.contains(code))) {
            probe.fail("status " + code + ", expected " + String.join(",",
                    http.expect().stream().map(CheckSpec.StatusRange::toString).toList()));
            return;
        }
        ByteBuf body = response.content();
        if (regex != null && !regex.matcher(body.toString(StandardCharsets.ISO_8859_1)).find()) {
            probe.fail("status " + code + ", body does not match " + http.regex());
            return;
        }
        if (http.digest() != null) {
            String md5 = HexFormat.of().formatHex(md5(ByteBufUtil.getBytes(body)));
            if (!md5.equalsIgnoreCase(http.digest())) {
                probe.fail("status " + code + ", body digest " + md5);
                return;
            }
        }
        probe.pass("status " + code);
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }
}
