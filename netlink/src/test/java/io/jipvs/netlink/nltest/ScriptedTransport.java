package io.jipvs.netlink.nltest;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetlinkTransport;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A fake kernel end of a netlink socket for unit tests. It answers the way netlink_rcv_skb does:
 * every message of a sent datagram is handed to a script in order; the script's data messages
 * are queued (one datagram each, or grouped), then an NLMSG_ERROR if the script failed the
 * request or the request asked for an ACK. Errors echo only the request header (NETLINK_CAP_ACK).
 * Dumps run like netlink_dump: the first datagram is queued at once and each receive queues the
 * next, so a dump runs until its last datagram is queued, and a second dump request meanwhile is
 * refused with EBUSY (netlink_dump_start) without reaching the script.
 */
public final class ScriptedTransport implements NetlinkTransport {

    /** What the script answers to one request. */
    public record Reply(int errno, List<List<NetlinkMessage>> datagrams) {
        public static Reply ok() {
            return new Reply(0, List.of());
        }

        public static Reply error(int errno) {
            return new Reply(errno, List.of());
        }

        /** Data messages, each in its own datagram, then the ACK if requested. */
        public static Reply data(NetlinkMessage... messages) {
            List<List<NetlinkMessage>> d = new ArrayList<>();
            for (NetlinkMessage m : messages) {
                d.add(List.of(m));
            }
            return new Reply(0, d);
        }

        /** Grouped datagrams, e.g. for dumps. */
        public static Reply datagrams(List<List<NetlinkMessage>> datagrams) {
            return new Reply(0, datagrams);
        }
    }

    private final int portId;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final Function<NetlinkMessage, Reply> script;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    /** Datagrams of the running dump that the kernel has not produced yet. */
    private final Deque<byte[]> dumpRest = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private long sends;
    private long receives;
    private boolean closed;

    public ScriptedTransport(int portId, int sendBufferSize, int receiveBufferSize,
                             Function<NetlinkMessage, Reply> script) {
        this.portId = portId;
        this.sendBufferSize = sendBufferSize;
        this.receiveBufferSize = receiveBufferSize;
        this.script = script;
    }

    public ScriptedTransport(Function<NetlinkMessage, Reply> script) {
        this(4242, 212992, 212992, script);
    }

    /** Queues a raw datagram as if the kernel had sent it now. */
    public void inject(byte[] datagram) {
        queue.add(datagram);
    }

    /** Every datagram sent so far. */
    public List<byte[]> sent() {
        return sent;
    }

    /** Every message sent so far, across datagrams. */
    public List<NetlinkMessage> sentMessages() {
        List<NetlinkMessage> all = new ArrayList<>();
        for (byte[] d : sent) {
            all.addAll(NetlinkMessage.parse(d, d.length, "test"));
        }
        return all;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public void send(byte[] datagram, int length) {
        sends++;
        byte[] copy = Arrays.copyOf(datagram, length);
        if (length > sendBufferSize - 32) {
            throw NetlinkException.of("sendto", Errno.EMSGSIZE);
        }
        sent.add(copy);
        for (NetlinkMessage request : NetlinkMessage.parse(copy, copy.length, "fake kernel")) {
            boolean dump = (request.flags() & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
            if (dump && !dumpRest.isEmpty()) {
                queue.add(error(request, Errno.EBUSY).encode());
                continue;
            }
            Reply reply = script.apply(request);
            for (int i = 0; i < reply.datagrams().size(); i++) {
                (dump && i > 0 ? dumpRest : queue).add(concat(reply.datagrams().get(i)));
            }
            if (reply.errno() != 0 || (request.flags() & Netlink.NLM_F_ACK) != 0) {
                queue.add(error(request, reply.errno()).encode());
            }
        }
    }

    @Override
    public int receive(byte[] buffer) {
        receives++;
        byte[] next = queue.poll();
        if (next == null) {
            throw new NetlinkException("recvfrom", Errno.EAGAIN, "recvfrom: no reply (script exhausted)", null);
        }
        if (next.length > buffer.length) {
            throw NetlinkException.protocol("recvfrom", "datagram truncated");
        }
        System.arraycopy(next, 0, buffer, 0, next.length);
        if (!dumpRest.isEmpty()) {
            queue.add(dumpRest.poll());
        }
        return next.length;
    }

    @Override
    public int sendBufferSize() {
        return sendBufferSize;
    }

    @Override
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    @Override
    public long sendCalls() {
        return sends;
    }

    @Override
    public long receiveCalls() {
        return receives;
    }

    @Override
    public void close() {
        closed = true;
    }

    // ------------------------------------------------------------- reply builders

    /** An NLMSG_ERROR for a request, capped (header-only echo) as with NETLINK_CAP_ACK. */
    public static NetlinkMessage error(NetlinkMessage request, int errno) {
        ByteBuffer b = ByteBuffer.allocate(4 + 16).order(ByteOrder.nativeOrder());
        b.putInt(-errno).putInt(request.length()).putShort((short) request.type()).putShort((short) request.flags())
                .putInt(request.seq()).putInt(request.pid());
        return new NetlinkMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED, request.seq(), request.pid(), b.array());
    }

    /** A reply message of the given type and payload to a request. */
    public static NetlinkMessage reply(NetlinkMessage request, int type, int flags, byte[] payload) {
        return new NetlinkMessage(type, flags, request.seq(), request.pid(), payload);
    }

    /** NLMSG_DONE closing a dump. */
    public static NetlinkMessage done(NetlinkMessage request) {
        byte[] zero = new byte[4];
        return new NetlinkMessage(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, request.seq(), request.pid(), zero);
    }

    /** A dump answer: payloads as NLM_F_MULTI messages, {@code perDatagram} per datagram, then DONE. */
    public static Reply dump(NetlinkMessage request, int type, List<byte[]> payloads, int perDatagram) {
        List<List<NetlinkMessage>> datagrams = new ArrayList<>();
        List<NetlinkMessage> current = new ArrayList<>();
        for (byte[] p : payloads) {
            current.add(reply(request, type, Netlink.NLM_F_MULTI, p));
            if (current.size() == perDatagram) {
                datagrams.add(current);
                current = new ArrayList<>();
            }
        }
        current.add(done(request));
        datagrams.add(current);
        return Reply.datagrams(datagrams);
    }

    public static byte[] concat(List<NetlinkMessage> messages) {
        int size = 0;
        for (NetlinkMessage m : messages) {
            size += Netlink.align(m.length());
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (NetlinkMessage m : messages) {
            m.writeTo(b);
        }
        return b.array();
    }
}
