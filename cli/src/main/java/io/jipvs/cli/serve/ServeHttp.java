package io.jipvs.cli.serve;

import io.jipvs.cli.daemon.Listener;
import io.jipvs.cli.daemon.Peer;
import io.jipvs.netlink.NetworkNamespace;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * serve's HTTP: the TCP listener ({@code --listen}) and the API socket ({@code --api-socket}),
 * both answering {@link Routes}. Requests are bounded (headers 8 KiB, body 64 KiB, 30 s to send
 * one); each is handled off the I/O threads on two threads in the director's namespace, where a
 * scrape or the state page dumps the kernel over a netlink socket of its own. The socket's callers
 * are judged before a byte is read: root in serve's user namespace with CAP_NET_ADMIN in effect,
 * as the command daemon's (the file is 0600 root besides).
 */
final class ServeHttp implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024;
    static final int MAX_HEADERS = 8 * 1024;
    static final int READ_TIMEOUT_SECONDS = 30;

    static {
        // Netty names each channel after a MAC address and warns on stderr (serve's log) when the
        // namespace has none; the name is only ever used in Netty's own logging.
        if (System.getProperty("io.netty.machineId") == null) {
            System.setProperty("io.netty.machineId", "02:00:00:00:00:01");
        }
    }

    private final EventLoopGroup io;
    private final EventExecutorGroup work;
    private final List<Channel> listeners = new ArrayList<>();
    private final Listener socketFile;
    private InetSocketAddress tcpAddress;

    /**
     * The API socket's path, or null when there is none.
     *
     * @return the path
     */
    Path apiSocket() {
        return socketFile == null || listeners.stream().noneMatch(c -> c instanceof EpollServerDomainSocketChannel) ? null : socketPath;
    }

    private Path socketPath;

    private ServeHttp(EventLoopGroup io, EventExecutorGroup work, Listener socketFile) {
        this.io = io;
        this.work = work;
        this.socketFile = socketFile;
    }

    /**
     * Starts what it can of both listeners; what it cannot is told to {@code report} and left out.
     *
     * @param tcp     the TCP address, or null for none
     * @param socket  the API socket's path, or null for none
     * @param ns      the director's namespace, or null for this process's
     * @param routes  what to answer
     * @param events  the event stream the routes open
     * @param report  where a listener that could not start is told
     * @return the listeners
     */
    static ServeHttp start(InetSocketAddress tcp, Path socket, Path ns, Routes routes, EventStream events,
                           java.util.function.Consumer<String> report) {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(1, NetworkNamespace.threadFactory(ns, "jipvs-http-io"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        EventExecutorGroup work = new DefaultEventExecutorGroup(2, NetworkNamespace.threadFactory(ns, "jipvs-http"));
        Listener file = null;
        if (socket != null) {
            if (!epoll) {
                report.accept("no API socket: Netty's epoll transport did not load");
            } else {
                try {
                    file = Listener.bind(socket, true);
                } catch (Exception e) {
                    report.accept("no API socket at " + socket + ": " + e.getMessage());
                }
            }
        }
        ServeHttp http = new ServeHttp(io, work, file);
        http.socketPath = socket;
        if (tcp != null) {
            try {
                ServerBootstrap b = new ServerBootstrap().group(io)
                        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                        .childHandler(http.pipeline(routes, events, false));
                // The socket is made on this thread: make it in the director's namespace.
                Channel c = ns == null ? b.bind(tcp).sync().channel()
                        : NetworkNamespace.callIn(ns, () -> b.bind(tcp).sync().channel());
                http.listeners.add(c);
                http.tcpAddress = (InetSocketAddress) c.localAddress();
            } catch (Exception e) {
                report.accept("not listening on " + tcp + ": " + (e.getMessage() == null ? e : e.getMessage()));
            }
        }
        if (file != null) {
            int fd = file.fd();
            try {
                // Bound and listening already (true): Netty starts accepting on registration.
                Channel c = new ServerBootstrap().group(io).channelFactory(() -> new EpollServerDomainSocketChannel(fd, true))
                        .childHandler(http.pipeline(routes, events, true)).register().sync().channel();
                http.listeners.add(c);
            } catch (Exception e) {
                report.accept("no API socket at " + socket + ": " + e.getMessage());
            }
        }
        return http;
    }

    /**
     * The TCP listener's address (the port chosen when 0 was asked for), or null when it does not listen.
     *
     * @return the address
     */
    InetSocketAddress tcpAddress() {
        return tcpAddress;
    }

    private ChannelInitializer<Channel> pipeline(Routes routes, EventStream events, boolean socket) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                        .addLast(new HttpServerCodec(4096, MAX_HEADERS, 8192))
                        .addLast(new HttpObjectAggregator(MAX_BODY))
                        .addLast(work, new Handler(routes, events, socket));
            }
        };
    }

    @Override
    public void close() {
        for (Channel c : listeners) {
            c.close().syncUninterruptibly();
        }
        io.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        work.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        if (socketFile != null) {
            try {
                socketFile.unlink(); // the descriptor was the channel's, closed with it
            } catch (java.io.IOException e) {
                // the process ends anyway; a stale socket file is replaced at the next start
            }
        }
    }

    /** One connection's requests, in order. */
    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Routes routes;
        private final EventStream events;
        private final boolean socket;
        private String refused;

        Handler(Routes routes, EventStream events, boolean socket) {
            this.routes = routes;
            this.events = events;
            this.socket = socket;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (socket && ctx.channel() instanceof EpollDomainSocketChannel c) {
                Peer peer = Peer.identify(c.fd().intValue());
                refused = peer.why();
            }
            super.channelActive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                send(ctx, request, Routes.error(HttpResponseStatus.BAD_REQUEST, "not an HTTP request within the limits"
                        + " (headers " + MAX_HEADERS + " bytes, body " + MAX_BODY + " bytes)").response(), true);
                return;
            }
            if (refused != null) {
                send(ctx, request, Routes.error(HttpResponseStatus.FORBIDDEN, "refused: " + refused).response(), true);
                return;
            }
            Routes.Answer answer;
            try {
                answer = routes.handle(request, socket);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ctx.close();
                return;
            } catch (Exception e) {
                answer = Routes.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        e.getMessage() == null ? e.toString() : e.getMessage());
            }
            if (answer instanceof Routes.Full f) {
                send(ctx, request, f.response(), false);
            } else {
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
                head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
                HttpUtil.setTransferEncodingChunked(head, true);
                if (!events.add(ctx.channel())) {
                    send(ctx, request, Routes.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "too many event streams open (" + EventStream.MAX_STREAMS + ")").response(), true);
                    return;
                }
                // The stream is long-lived: no read timeout, and a comment line opens it at once.
                ctx.pipeline().remove(ReadTimeoutHandler.class);
                ctx.write(head);
                ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                        Unpooled.copiedBuffer(": jipvs events\n\n", StandardCharsets.UTF_8)));
            }
        }

        private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean close) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (request.method().name().equals("HEAD")) {
                response.content().clear();
            }
            boolean keep = !close && HttpUtil.isKeepAlive(request);
            if (keep) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            var f = ctx.writeAndFlush(response);
            if (!keep) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
