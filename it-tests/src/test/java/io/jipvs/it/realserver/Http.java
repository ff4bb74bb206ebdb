package io.jipvs.it.realserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.0 responder per real server that answers with its own name, and a client; both
 * run in-process (a JVM start costs seconds under emulation), their sockets created on threads
 * inside the right namespace.
 */
final class Http {
    private Http() {
    }

    /** Listens on the wildcard address, port 80, in {@code ns}: so it accepts for the VIP as well. */
    static final class Responder implements AutoCloseable {
        final String name;
        final AtomicInteger served = new AtomicInteger();
        /** The server log: every client address a connection came from. */
        final Set<InetAddress> peers = ConcurrentHashMap.newKeySet();
        private final ServerSocketChannel server;
        private final Thread thread;

        Responder(String ns, String name) {
            this.name = name;
            this.server = Topology.in(ns, () -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                s.bind(new InetSocketAddress(80));
                return s;
            });
            this.thread = new Thread(this::serve, "http-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept(); Socket s = c.socket()) {
                    peers.add(((InetSocketAddress) c.getRemoteAddress()).getAddress());
                    s.setSoTimeout(5000);
                    readRequest(s.getInputStream());
                    byte[] body = (name + "\n").getBytes(StandardCharsets.US_ASCII);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    served.incrementAndGet();
                } catch (IOException e) {
                    // closed, or one broken client: keep serving while open
                }
            }
        }

        static void readRequest(InputStream in) throws IOException {
            // Up to the blank line that ends the header.
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                last4 = (last4 << 8) | b;
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** GET / from {@code ns} to vip:80; returns the body (the answering server's name). */
    static String get(String ns, InetAddress vip) {
        return Topology.in(ns, () -> {
            try (Socket s = SocketChannel.open().socket()) {
                s.connect(new InetSocketAddress(vip, 80), 5000);
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET / HTTP/1.0\r\nHost: vip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                s.getInputStream().transferTo(all);
                String text = all.toString(StandardCharsets.US_ASCII);
                int body = text.indexOf("\r\n\r\n");
                if (!text.startsWith("HTTP/1.0 200 ") || body < 0) {
                    throw new IOException("unexpected answer: " + text);
                }
                return text.substring(body + 4).strip();
            }
        });
    }
}
