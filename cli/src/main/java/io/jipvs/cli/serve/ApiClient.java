package io.jipvs.cli.serve;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * serve's API from a client (ctl, announce): Netty's HTTP codec driven over a blocking JDK socket,
 * Unix or TCP, one request per connection.
 */
final class ApiClient {
    /** An answer larger than this is refused (a 10,000-server state is a few MiB). */
    static final int MAX_ANSWER = 256 << 20;
    /** An event larger than this ends the stream: serve's are a few hundred bytes. */
    static final int MAX_EVENT = 1 << 20;

    private ApiClient() {
    }

    /**
     * A GET request for a path.
     *
     * @param path e.g. /api/v1/state
     * @return the request
     */
    static FullHttpRequest get(String path) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.HOST, "localhost");
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        return r;
    }

    /**
     * Sends a request and reads until the codec has the whole answer.
     *
     * @param address serve's socket path or TCP address
     * @param request the request
     * @return the answer (the caller releases it)
     * @throws IOException when serve cannot be reached or closes without an answer
     */
    static FullHttpResponse exchange(SocketAddress address, FullHttpRequest request) throws IOException {
        EmbeddedChannel codec = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER));
        try (SocketChannel ch = connect(address)) {
            send(ch, codec, request);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (true) {
                FullHttpResponse r = codec.readInbound();
                if (r != null) {
                    return r;
                }
                if (!receive(ch, codec, in)) {
                    r = codec.readInbound();
                    if (r != null) {
                        return r;
                    }
                    throw new IOException("serve closed the connection without an answer");
                }
            }
        } finally {
            codec.finishAndReleaseAll();
        }
    }

    /**
     * Opens serve's event stream ({@code GET /api/v1/events}).
     *
     * @param address serve's socket path or TCP address
     * @return the stream, read event by event
     * @throws IOException when serve cannot be reached or refuses the stream
     */
    static Events events(SocketAddress address) throws IOException {
        SocketChannel ch = connect(address);
        EmbeddedChannel codec = new EmbeddedChannel(new HttpClientCodec());
        try {
            send(ch, codec, get(Routes.API + "events"));
            Events events = new Events(ch, codec);
            // serve answers once the stream is registered: no event after this one is missed.
            while (!events.answered) {
                if (events.ended) {
                    throw new IOException("serve closed the connection without an answer");
                }
                events.readSome();
            }
            return events;
        } catch (IOException | RuntimeException e) {
            ch.close();
            codec.finishAndReleaseAll();
            throw e;
        }
    }

    /** Server-Sent Events, one event name at a time. */
    static final class Events implements Closeable {
        private final SocketChannel ch;
        private final EmbeddedChannel codec;
        private final StringBuilder text = new StringBuilder();
        private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        private boolean answered;
        private boolean ended;

        private Events(SocketChannel ch, EmbeddedChannel codec) {
            this.ch = ch;
            this.codec = codec;
        }

        /**
         * Blocks for the next event.
         *
         * @return its name (e.g. "quorum-lost"), or null when serve ended the stream
         * @throws IOException when serve refused the stream or the connection failed
         */
        String next() throws IOException {
            while (true) {
                int end = text.indexOf("\n\n");
                if (end >= 0) {
                    String frame = text.substring(0, end);
                    text.delete(0, end + 2);
                    for (String line : frame.split("\n")) {
                        if (line.startsWith("event: ")) {
                            return line.substring(7);
                        }
                    }
                    continue;
                }
                if (ended) {
                    return null;
                }
                if (text.length() > MAX_EVENT) {
                    throw new IOException("an event larger than " + MAX_EVENT + " bytes");
                }
                readSome();
            }
        }

        private void readSome() throws IOException {
            if (!receive(ch, codec, in)) {
                ended = true;
            }
            for (Object o; (o = codec.readInbound()) != null; ) {
                take(o);
            }
        }

        private void take(Object o) throws IOException {
            try {
                if (o instanceof HttpResponse r) {
                    answered = true;
                    if (r.status().code() != 200) {
                        throw new IOException("serve answered " + r.status() + " to the event stream");
                    }
                }
                if (o instanceof HttpContent c) {
                    text.append(c.content().toString(StandardCharsets.UTF_8));
                    if (o instanceof LastHttpContent) {
                        ended = true;
                    }
                }
                if (!answered && ended) {
                    throw new IOException("serve closed the connection without an answer");
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(o);
            }
        }

        /**
         * Ends the stream from another thread: the socket only, which wakes the reader with an
         * error; the codec is the reader's, released by its {@link #close}.
         */
        void abort() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing only to wake the reader
            }
        }

        @Override
        public void close() throws IOException {
            try {
                ch.close();
            } finally {
                codec.finishAndReleaseAll();
            }
        }
    }

    private static SocketChannel connect(SocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open(address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX
                : ((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.connect(address);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** One read from serve into the codec; false at the end of the stream, the codec then finished. */
    private static boolean receive(SocketChannel ch, EmbeddedChannel codec, ByteBuffer in) throws IOException {
        in.clear();
        if (ch.read(in) < 0) {
            codec.finish();
            return false;
        }
        in.flip();
        codec.writeInbound(Unpooled.copiedBuffer(in));
        return true;
    }

    private static void send(SocketChannel ch, EmbeddedChannel codec, FullHttpRequest request) throws IOException {
        codec.writeOutbound(request);
        for (ByteBuf b; (b = codec.readOutbound()) != null; ) {
            try {
                ByteBuffer nio = b.nioBuffer();
                while (nio.hasRemaining()) {
                    ch.write(nio);
                }
            } finally {
                b.release();
            }
        }
    }
}
