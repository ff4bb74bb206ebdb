package io.jipvs.cli.serve;

import io.jipvs.control.serve.Event;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * serve's events as Server-Sent Events: each event the log has, as the JSON object the log's
 * JSON format writes, to every open {@code /api/v1/events} stream. A slow reader is dropped
 * rather than buffered for: its channel is closed once Netty's outbound buffer is full.
 */
final class EventStream implements Consumer<Event> {
    /** At most this many open streams; more are refused (503). */
    static final int MAX_STREAMS = 64;
    private final Set<Channel> streams = ConcurrentHashMap.newKeySet();

    boolean add(Channel c) {
        if (streams.size() >= MAX_STREAMS) {
            return false;
        }
        streams.add(c);
        c.closeFuture().addListener(f -> streams.remove(c));
        return true;
    }

    @Override
    public void accept(Event e) {
        if (streams.isEmpty()) {
            return;
        }
        byte[] frame = ("event: " + e.kind().word() + "\ndata: " + EventLog.json(e) + "\n\n").getBytes(StandardCharsets.UTF_8);
        for (Channel c : streams) {
            if (!c.isWritable()) {
                c.close();
                continue;
            }
            c.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(frame)));
        }
    }
}
