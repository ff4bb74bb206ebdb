package io.jipvs.netlink.internal;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Request/reply on one netlink socket: sequence numbers, port-id checks, ACKs and errors, dump
 * reassembly and batches. Thread-safe: one caller at a time owns the socket, because replies are
 * matched to requests by arriving in order on it.
 */
public final class NetlinkConnection implements AutoCloseable {
    /**
     * Every receive offers 64 KiB: the kernel sizes dump chunks from the largest receive buffer
     * it has seen (capped near 32 KiB), and a smaller or peeked size would shrink every chunk.
     */
    public static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    /**
     * Conservative kernel memory charge (skb truesize) of one queued ACK or error; a batch never
     * sends more requests at once than the receive buffer can hold answers for.
     */
    static final int ACK_CHARGE_BYTES = 1024;
    /** netlink_sendmsg rejects a datagram longer than SO_SNDBUF - 32 with EMSGSIZE. */
    static final int SEND_OVERHEAD_BYTES = 32;
    /** How often a dump the kernel flags NLM_F_DUMP_INTR is tried before giving up. */
    public static final int DUMP_ATTEMPTS = 5;
    /**
     * Bound on the datagrams read to finish an abandoned dump: far more than any IPVS or
     * rtnetlink table fills (the kernel packs about 32 KiB per datagram).
     */
    static final int MAX_DRAIN_DATAGRAMS = 1 << 16;

    /** One request of a batch. */
    public record Request(int type, int flags, byte[] payload) {
    }

    private final NetlinkTransport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER_BYTES];
    private int nextSeq = 1;
    /** Sequence number of a dump given up before its NLMSG_DONE, which the kernel may still run. */
    private Integer abandonedDump;

    public NetlinkConnection(NetlinkTransport transport) {
        this.transport = transport;
    }

    public NetlinkTransport transport() {
        return transport;
    }

    /** Send system calls made so far on this connection's socket. */
    public long sendCalls() {
        return transport.sendCalls();
    }

    /** Receive system calls made so far on this connection's socket. */
    public long receiveCalls() {
        return transport.receiveCalls();
    }

    /**
     * Sends one request with NLM_F_ACK and returns the data messages that precede the ACK (none
     * for a change, one for a "get"). A negative ACK throws.
     */
    public List<NetlinkMessage> execute(int type, int flags, byte[] payload, String operation) {
        lock.lock();
        try {
            int seq = allocateSeqs(1);
            byte[] datagram = new NetlinkMessage(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | flags, seq,
                    transport.portId(), payload).encode();
            transport.send(datagram, datagram.length);
            List<NetlinkMessage> replies = new ArrayList<>();
            while (true) {
                for (NetlinkMessage m : receive(seq, seq, operation)) {
                    switch (m.type()) {
                        case Netlink.NLMSG_ERROR -> {
                            int errno = m.errorCode(operation);
                            if (errno != 0) {
                                throw NetlinkException.of(operation, errno, m.extendedAck());
                            }
                            return replies;
                        }
                        case Netlink.NLMSG_NOOP -> {
                        }
                        case Netlink.NLMSG_DONE -> {
                            return replies;
                        }
                        case Netlink.NLMSG_OVERRUN -> throw NetlinkException.protocol(operation, "NLMSG_OVERRUN");
                        default -> replies.add(m);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a dump request (NLM_F_DUMP) and collects every NLM_F_MULTI message up to NLMSG_DONE.
     * A dump the kernel marks as interrupted (NLM_F_DUMP_INTR: the table changed while it was
     * read) is not a consistent snapshot: it is done again, up to {@value #DUMP_ATTEMPTS} times,
     * then fails with EINTR. The whole dump is read before anything is decoded, so a caller's
     * decoding failure never leaves a dump half-read.
     */
    public List<NetlinkMessage> dump(int type, byte[] payload, String operation) {
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                Dump d = dumpOnce(type, payload, operation);
                if (!d.interrupted()) {
                    return d.replies();
                }
                if (attempt == DUMP_ATTEMPTS) {
                    throw new NetlinkException(operation, Errno.EINTR, operation + ": dump interrupted by concurrent"
                            + " changes " + DUMP_ATTEMPTS + " times in a row; the table keeps changing", null);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One complete dump; {@code interrupted} when the kernel flagged it NLM_F_DUMP_INTR. */
    private record Dump(List<NetlinkMessage> replies, boolean interrupted) {
    }

    private Dump dumpOnce(int type, byte[] payload, String operation) {
        Integer unfinished = abandonedDump;
        try {
            return readDump(sendDump(type, payload), operation);
        } catch (NetlinkException e) {
            if (unfinished == null || e.errno() != Errno.EBUSY) {
                throw e;
            }
            // The kernel runs one dump per socket and refuses another (EBUSY) until the one we
            // abandoned has ended; it produces the rest only as we read, so read it to its end.
            try {
                drain(unfinished, operation);
            } catch (NetlinkException drainFailure) {
                abandonedDump = unfinished;
                e.addSuppressed(drainFailure);
                throw e;
            }
            return readDump(sendDump(type, payload), operation);
        }
    }

    private int sendDump(int type, byte[] payload) {
        int seq = allocateSeqs(1);
        byte[] datagram = new NetlinkMessage(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, seq,
                transport.portId(), payload).encode();
        transport.send(datagram, datagram.length);
        return seq;
    }

    /** Reads dump {@code seq} to its end; if it fails before the end, remembers it as abandoned. */
    private Dump readDump(int seq, String operation) {
        List<NetlinkMessage> replies = new ArrayList<>();
        boolean interrupted = false;
        boolean ended = false;
        try {
            while (true) {
                for (NetlinkMessage m : receive(seq, seq, operation)) {
                    interrupted |= (m.flags() & Netlink.NLM_F_DUMP_INTR) != 0;
                    switch (m.type()) {
                        case Netlink.NLMSG_DONE -> {
                            ended = true;
                            int errno = m.payload().length >= 4 ? m.errorCode(operation) : 0;
                            if (errno != 0) {
                                throw NetlinkException.of(operation, errno, m.extendedAck());
                            }
                            return new Dump(replies, interrupted);
                        }
                        case Netlink.NLMSG_ERROR -> {
                            int errno = m.errorCode(operation);
                            if (errno != 0) {
                                ended = true; // the dump did not start
                                throw NetlinkException.of(operation, errno, m.extendedAck());
                            }
                        }
                        case Netlink.NLMSG_NOOP -> {
                        }
                        case Netlink.NLMSG_OVERRUN -> throw NetlinkException.protocol(operation, "NLMSG_OVERRUN");
                        default -> replies.add(m);
                    }
                }
            }
        } finally {
            abandonedDump = ended ? null : seq;
        }
    }

    /**
     * Reads and drops what is left of dump {@code seq} up to its NLMSG_DONE, at most
     * {@value #MAX_DRAIN_DATAGRAMS} datagrams (each bounded by the receive timeout).
     */
    private void drain(int seq, String operation) {
        for (int i = 0; i < MAX_DRAIN_DATAGRAMS; i++) {
            int length = transport.receive(receiveBuffer);
            List<NetlinkMessage> messages;
            try {
                messages = NetlinkMessage.parse(receiveBuffer, length, operation);
            } catch (NetlinkException malformed) {
                continue; // a leftover we could not read the first time either
            }
            for (NetlinkMessage m : messages) {
                if (m.seq() == seq && (m.type() == Netlink.NLMSG_DONE || m.type() == Netlink.NLMSG_ERROR)) {
                    abandonedDump = null;
                    return;
                }
            }
        }
        throw NetlinkException.protocol(operation, "an abandoned dump did not end within " + MAX_DRAIN_DATAGRAMS
                + " datagrams");
    }

    /**
     * Applies many requests with as few system calls as possible. Requests are packed into
     * datagrams no larger than SO_SNDBUF - 32 and no more numerous than the receive buffer has
     * room to answer; within a datagram only the last request asks for an ACK. The kernel handles
     * a datagram's messages in order and answers every failure with its own NLMSG_ERROR carrying
     * the failed request's sequence number, so once the last request is answered, every request
     * without an error has succeeded. A failure does not stop the batch, and nothing is atomic.
     *
     * @return one {@link Ack} per request, in request order
     */
    public List<Ack> batch(List<Request> requests, String operation) {
        lock.lock();
        try {
            Ack[] acks = new Ack[requests.size()];
            int maxBytes = Math.max(Netlink.NLMSG_HDRLEN, transport.sendBufferSize() - SEND_OVERHEAD_BYTES);
            int maxMessages = Math.max(1, transport.receiveBufferSize() / ACK_CHARGE_BYTES);
            int index = 0;
            while (index < requests.size()) {
                int end = index;
                int bytes = 0;
                while (end < requests.size() && end - index < maxMessages) {
                    int size = Netlink.align(Netlink.NLMSG_HDRLEN + requests.get(end).payload().length);
                    if (end > index && bytes + size > maxBytes) {
                        break;
                    }
                    bytes += size;
                    end++;
                }
                sendChunk(requests, index, end, bytes, acks, operation);
                index = end;
            }
            return Arrays.asList(acks);
        } finally {
            lock.unlock();
        }
    }

    private void sendChunk(List<Request> requests, int from, int to, int bytes, Ack[] acks, String operation) {
        int count = to - from;
        int firstSeq = allocateSeqs(count);
        int lastSeq = firstSeq + count - 1;
        ByteBuffer datagram = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        for (int i = from; i < to; i++) {
            Request r = requests.get(i);
            int flags = Netlink.NLM_F_REQUEST | r.flags() | (i == to - 1 ? Netlink.NLM_F_ACK : 0);
            new NetlinkMessage(r.type(), flags, firstSeq + (i - from), transport.portId(), r.payload())
                    .writeTo(datagram);
        }
        try {
            transport.send(datagram.array(), datagram.position());
        } catch (NetlinkException e) {
            // Nothing of this datagram reached the kernel.
            Arrays.fill(acks, from, to, new Ack(e.errno(), ExtendedAck.NONE));
            return;
        }
        try {
            boolean lastAnswered = false;
            while (!lastAnswered) {
                for (NetlinkMessage m : receive(firstSeq, lastSeq, operation)) {
                    if (m.type() != Netlink.NLMSG_ERROR) {
                        continue;
                    }
                    int slot = from + (m.seq() - firstSeq);
                    int errno = m.errorCode(operation);
                    acks[slot] = errno == 0 ? Ack.OK : new Ack(errno, m.extendedAck());
                    lastAnswered |= m.seq() == lastSeq;
                }
            }
        } catch (NetlinkException e) {
            // The kernel ran every request during sendto, but we lost sight of the answers
            // (timeout, or ENOBUFS if answers overflowed): their outcome is unknown.
            for (int i = from; i < to; i++) {
                if (acks[i] == null) {
                    acks[i] = new Ack(e.errno(), ExtendedAck.NONE);
                }
            }
            return;
        }
        for (int i = from; i < to; i++) {
            if (acks[i] == null) {
                acks[i] = Ack.OK;
            }
        }
    }

    /**
     * Receives one datagram and returns its messages that answer sequence numbers
     * firstSeq..lastSeq. Leftovers of earlier requests (e.g. after a timeout) are dropped;
     * anything else unexpected is a protocol error.
     */
    private List<NetlinkMessage> receive(int firstSeq, int lastSeq, String operation) {
        int length = transport.receive(receiveBuffer);
        if (length >= Netlink.NLMSG_HDRLEN && stale(ByteBuffer.wrap(receiveBuffer).order(ByteOrder.nativeOrder())
                .getInt(8), firstSeq)) {
            // The kernel answers each request in datagrams of its own: this one belongs to an
            // earlier request, so drop it unread (it may be the part of a dump that failed us).
            return List.of();
        }
        List<NetlinkMessage> all = NetlinkMessage.parse(receiveBuffer, length, operation);
        List<NetlinkMessage> ours = new ArrayList<>(all.size());
        for (NetlinkMessage m : all) {
            if (stale(m.seq(), firstSeq)) {
                continue; // answers a request we already gave up on
            }
            if (m.seq() - lastSeq > 0) {
                throw NetlinkException.protocol(operation, "reply for future sequence number "
                        + Integer.toUnsignedString(m.seq()) + ", expected up to " + Integer.toUnsignedString(lastSeq));
            }
            if (m.pid() != transport.portId()) {
                throw NetlinkException.protocol(operation, "reply addressed to port "
                        + Integer.toUnsignedString(m.pid()) + ", ours is " + Integer.toUnsignedString(transport.portId()));
            }
            ours.add(m);
        }
        return ours;
    }

    private static boolean stale(int seq, int firstSeq) {
        return seq - firstSeq < 0; // wraps like the sequence numbers themselves
    }

    private int allocateSeqs(int count) {
        int first = nextSeq;
        nextSeq += count;
        return first;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            transport.close();
        } finally {
            lock.unlock();
        }
    }
}
