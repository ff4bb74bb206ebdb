package io.jipvs.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetlinkTransport;
import io.jipvs.netlink.nltest.ScriptedTransport;
import io.jipvs.netlink.nltest.ScriptedTransport.Reply;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request/ACK, dumps and batches against a scripted kernel. */
class NetlinkConnectionTest {

    private static final int TYPE = 0x20;

    private static int firstInt(byte[] payload) {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
    }

    private static byte[] intPayload(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    @Test
    void executeSendsRequestWithAckAndReturnsDataBeforeTheAck() {
        ScriptedTransport kernel = new ScriptedTransport(
                req -> Reply.data(ScriptedTransport.reply(req, TYPE, 0, new byte[] {9, 9, 9, 9})));
        NetlinkConnection c = new NetlinkConnection(kernel);
        List<NetlinkMessage> replies = c.execute(TYPE, 0, new byte[] {1, 2, 3, 4}, "get");
        assertEquals(1, replies.size());
        assertArrayEquals(new byte[] {9, 9, 9, 9}, replies.get(0).payload());
        NetlinkMessage sent = kernel.sentMessages().get(0);
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sent.flags());
        assertEquals(kernel.portId(), sent.pid());
    }

    @Test
    void negativeAckThrowsWithTheErrno() {
        NetlinkConnection c = new NetlinkConnection(new ScriptedTransport(req -> Reply.error(Errno.EEXIST)));
        NetlinkException e = assertThrows(NetlinkException.class, () -> c.execute(TYPE, 0, new byte[0], "add"));
        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("EEXIST", e.errnoName());
        assertEquals("add", e.operation());
        assertEquals("add: File exists", e.getMessage());
    }

    @Test
    void sequenceNumbersIncreaseAndStaleRepliesAreDropped() {
        List<Integer> seqs = new ArrayList<>();
        ScriptedTransport kernel = new ScriptedTransport(req -> {
            seqs.add(req.seq());
            return Reply.ok();
        });
        NetlinkConnection c = new NetlinkConnection(kernel);
        c.execute(TYPE, 0, new byte[0], "one");
        // A late answer to the first request (e.g. after a timeout) must not satisfy the second.
        kernel.inject(ScriptedTransport.error(new NetlinkMessage(TYPE, 0, seqs.get(0), kernel.portId(), null),
                Errno.EIO).encode());
        c.execute(TYPE, 0, new byte[0], "two");
        assertEquals(seqs.get(0) + 1, seqs.get(1));
        assertEquals(3, kernel.receiveCalls());
    }

    @Test
    void replyForAnotherPortIsAProtocolError() {
        ScriptedTransport kernel = new ScriptedTransport(req -> Reply.data(
                new NetlinkMessage(TYPE, 0, req.seq(), req.pid() + 1, new byte[0])));
        NetlinkConnection c = new NetlinkConnection(kernel);
        NetlinkException e = assertThrows(NetlinkException.class, () -> c.execute(TYPE, 0, new byte[0], "get"));
        assertEquals(Errno.EPROTO, e.errno());
    }

    @Test
    void replyForAFutureSequenceIsAProtocolError() {
        ScriptedTransport kernel = new ScriptedTransport(req -> Reply.data(
                new NetlinkMessage(TYPE, 0, req.seq() + 5, req.pid(), new byte[0])));
        NetlinkConnection c = new NetlinkConnection(kernel);
        assertThrows(NetlinkException.class, () -> c.execute(TYPE, 0, new byte[0], "get"));
    }

    @Test
    void dumpReassemblesMessagesAcrossDatagramsUntilDone() {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            payloads.add(intPayload(i));
        }
        ScriptedTransport kernel = new ScriptedTransport(req -> ScriptedTransport.dump(req, TYPE, payloads, 10));
        NetlinkConnection c = new NetlinkConnection(kernel);
        List<NetlinkMessage> all = c.dump(TYPE, new byte[0], "dump");
        assertEquals(25, all.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(i, firstInt(all.get(i).payload()));
        }
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, kernel.sentMessages().get(0).flags());
        assertEquals(3, kernel.receiveCalls()); // 10 + 10 + (5 + DONE)
    }

    @Test
    void emptyDumpIsAnEmptyList() {
        ScriptedTransport kernel = new ScriptedTransport(req -> ScriptedTransport.dump(req, TYPE, List.of(), 10));
        assertEquals(List.of(), new NetlinkConnection(kernel).dump(TYPE, new byte[0], "dump"));
    }

    @Test
    void dumpThatFailsToStartThrows() {
        NetlinkConnection c = new NetlinkConnection(new ScriptedTransport(req -> Reply.error(Errno.EOPNOTSUPP)));
        assertEquals(Errno.EOPNOTSUPP,
                assertThrows(NetlinkException.class, () -> c.dump(TYPE, new byte[0], "dump")).errno());
    }

    @Test
    void doneCarryingAnErrorThrows() {
        ScriptedTransport kernel = new ScriptedTransport(req -> Reply.data(
                new NetlinkMessage(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, req.seq(), req.pid(),
                        intPayload(-Errno.ENOBUFS))));
        NetlinkConnection c = new NetlinkConnection(kernel);
        assertEquals(Errno.ENOBUFS, assertThrows(NetlinkException.class, () -> c.dump(TYPE, new byte[0], "d")).errno());
    }

    /** A one-message dump whose messages carry NLM_F_DUMP_INTR when {@code interrupted}. */
    private static Reply dumpOf(NetlinkMessage req, int value, boolean interrupted) {
        int flags = Netlink.NLM_F_MULTI | (interrupted ? Netlink.NLM_F_DUMP_INTR : 0);
        return Reply.datagrams(List.of(List.of(ScriptedTransport.reply(req, TYPE, flags, intPayload(value)),
                ScriptedTransport.done(req))));
    }

    @Test
    void interruptedDumpIsDoneAgain() {
        List<Integer> dumps = new ArrayList<>();
        ScriptedTransport kernel = new ScriptedTransport(req -> {
            dumps.add(req.seq());
            return dumpOf(req, dumps.size(), dumps.size() == 1);
        });
        List<NetlinkMessage> all = new NetlinkConnection(kernel).dump(TYPE, new byte[0], "d");
        assertEquals(1, all.size());
        assertEquals(2, firstInt(all.get(0).payload()), "the second, consistent snapshot");
        assertEquals(2, dumps.size());
    }

    @Test
    void dumpInterruptedEveryTimeFailsWithEintrAfterFiveAttempts() {
        ScriptedTransport kernel = new ScriptedTransport(req -> dumpOf(req, 1, true));
        NetlinkConnection c = new NetlinkConnection(kernel);
        NetlinkException e = assertThrows(NetlinkException.class, () -> c.dump(TYPE, new byte[0], "RTM_GETADDR dump"));
        assertEquals(Errno.EINTR, e.errno());
        assertEquals("RTM_GETADDR dump: dump interrupted by concurrent changes 5 times in a row; the table keeps"
                + " changing", e.getMessage());
        assertEquals(5, kernel.sendCalls());
    }

    /**
     * The kernel runs one dump per socket and produces its parts only as they are read; a dump
     * abandoned half-way must not make the socket's next dump fail with EBUSY.
     */
    @Test
    void dumpAbandonedOnAMalformedMessageDoesNotBreakTheNextRequests() {
        List<Integer> dumps = new ArrayList<>();
        ScriptedTransport kernel = new ScriptedTransport(req -> {
            if ((req.flags() & Netlink.NLM_F_DUMP) == 0) {
                return Reply.ok();
            }
            dumps.add(req.seq());
            if (dumps.size() > 1) {
                return ScriptedTransport.dump(req, TYPE, List.of(intPayload(7)), 1);
            }
            List<List<NetlinkMessage>> parts = new ArrayList<>();
            parts.add(List.of(ScriptedTransport.reply(req, TYPE, Netlink.NLM_F_MULTI, intPayload(0))));
            // An NLMSG_ERROR too short to hold an error code: the reader gives up on the dump here.
            parts.add(List.of(ScriptedTransport.reply(req, Netlink.NLMSG_ERROR, Netlink.NLM_F_MULTI, new byte[2])));
            for (int i = 1; i <= 10; i++) {
                parts.add(List.of(ScriptedTransport.reply(req, TYPE, Netlink.NLM_F_MULTI, intPayload(i))));
            }
            parts.add(List.of(ScriptedTransport.done(req)));
            return Reply.datagrams(parts);
        });
        NetlinkConnection c = new NetlinkConnection(kernel);
        assertEquals(Errno.EPROTO, assertThrows(NetlinkException.class, () -> c.dump(TYPE, new byte[0], "d")).errno());

        c.execute(TYPE, 0, new byte[0], "change");
        List<NetlinkMessage> next = c.dump(TYPE, new byte[0], "d");
        assertEquals(List.of(7), next.stream().map(m -> firstInt(m.payload())).toList());
        long dumpRequests = kernel.sentMessages().stream().filter(m -> (m.flags() & Netlink.NLM_F_DUMP) != 0).count();
        assertEquals(3, dumpRequests, "the abandoned dump, the next one refused with EBUSY, and that one again");
    }

    @Test
    void malformedLeftoverOfAnEarlierRequestIsDroppedUnread() {
        ScriptedTransport kernel = new ScriptedTransport(req -> Reply.ok());
        NetlinkConnection c = new NetlinkConnection(kernel);
        c.execute(TYPE, 0, new byte[0], "one");
        int oldSeq = kernel.sentMessages().get(0).seq();
        // A header answering request one, then a message whose length runs past the datagram.
        byte[] leftover = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder())
                .putInt(16).putShort((short) TYPE).putShort((short) Netlink.NLM_F_MULTI).putInt(oldSeq)
                .putInt(kernel.portId()).putInt(4096).putInt(0).array();
        kernel.inject(leftover);
        c.execute(TYPE, 0, new byte[0], "two");
    }

    // ------------------------------------------------------------------ batches

    private static List<NetlinkConnection.Request> requests(int n) {
        List<NetlinkConnection.Request> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new NetlinkConnection.Request(TYPE, 0, intPayload(i)));
        }
        return list;
    }

    @Test
    void batchPacksRequestsIntoOneDatagramWithAnAckOnlyOnTheLast() {
        ScriptedTransport kernel = new ScriptedTransport(req -> Reply.ok());
        NetlinkConnection c = new NetlinkConnection(kernel);
        List<Ack> acks = c.batch(requests(50), "batch");
        assertEquals(50, acks.size());
        assertTrue(acks.stream().allMatch(Ack::ok));
        assertEquals(1, kernel.sendCalls());
        assertEquals(1, kernel.receiveCalls());
        List<NetlinkMessage> sent = kernel.sentMessages();
        for (int i = 0; i < 50; i++) {
            assertEquals(i, firstInt(sent.get(i).payload()));
            int expected = Netlink.NLM_F_REQUEST | (i == 49 ? Netlink.NLM_F_ACK : 0);
            assertEquals(expected, sent.get(i).flags(), "flags of request " + i);
        }
    }

    @Test
    void failuresInTheMiddleAreReportedPerRequestAndDoNotStopTheBatch() {
        List<Integer> processed = new ArrayList<>();
        ScriptedTransport kernel = new ScriptedTransport(req -> {
            int i = firstInt(req.payload());
            processed.add(i);
            if (i == 3) {
                return Reply.error(Errno.EEXIST);
            }
            if (i == 7) {
                return Reply.error(Errno.ESRCH);
            }
            return Reply.ok();
        });
        List<Ack> acks = new NetlinkConnection(kernel).batch(requests(10), "batch");
        assertEquals(10, processed.size());
        for (int i = 0; i < 10; i++) {
            int expected = i == 3 ? Errno.EEXIST : i == 7 ? Errno.ESRCH : 0;
            assertEquals(expected, acks.get(i).errno(), "request " + i);
        }
        assertEquals(3, kernel.receiveCalls()); // two errors, then the final ACK
    }

    @Test
    void failingLastRequestEndsTheChunkWithItsError() {
        ScriptedTransport kernel = new ScriptedTransport(
                req -> firstInt(req.payload()) == 4 ? Reply.error(Errno.ENOENT) : Reply.ok());
        List<Ack> acks = new NetlinkConnection(kernel).batch(requests(5), "batch");
        assertEquals(Errno.ENOENT, acks.get(4).errno());
        assertTrue(acks.subList(0, 4).stream().allMatch(Ack::ok));
        assertEquals(1, kernel.receiveCalls());
    }

    @Test
    void batchSplitsAtTheSendBufferLimit() {
        // Each request is 16 + 4 = 20 bytes; 1000 - 32 = 968 bytes fit 48 of them.
        ScriptedTransport kernel = new ScriptedTransport(1, 1000, 1 << 20, req -> Reply.ok());
        List<Ack> acks = new NetlinkConnection(kernel).batch(requests(100), "batch");
        assertTrue(acks.stream().allMatch(Ack::ok));
        assertEquals(3, kernel.sendCalls()); // 48 + 48 + 4
        for (byte[] datagram : kernel.sent()) {
            assertTrue(datagram.length <= 1000 - 32, "datagram of " + datagram.length + " bytes");
        }
        assertEquals(100, kernel.sentMessages().size());
    }

    @Test
    void batchSplitsSoThatAnswersFitTheReceiveBuffer() {
        // 10 KiB of receive buffer holds 10 answers at the conservative charge per answer.
        ScriptedTransport kernel = new ScriptedTransport(1, 1 << 20, 10 * NetlinkConnection.ACK_CHARGE_BYTES,
                req -> Reply.error(Errno.EINVAL));
        List<Ack> acks = new NetlinkConnection(kernel).batch(requests(35), "batch");
        assertEquals(4, kernel.sendCalls());
        assertTrue(acks.stream().allMatch(a -> a.errno() == Errno.EINVAL));
    }

    @Test
    void lostAnswersMakeTheOutcomeUnknownNotSuccessful() {
        // The kernel "drops" every answer: the receive times out.
        ScriptedTransport kernel = new ScriptedTransport(req -> Reply.ok());
        NetlinkConnection c = new NetlinkConnection(new DroppingTransport(kernel));
        List<Ack> acks = c.batch(requests(3), "batch");
        assertTrue(acks.stream().allMatch(a -> a.errno() == Errno.EAGAIN));
    }

    @Test
    void sendFailureMarksTheWholeChunk() {
        ScriptedTransport kernel = new ScriptedTransport(1, 40, 1 << 20, req -> Reply.ok());
        // One 36-byte request cannot be sent within 40 - 32 bytes.
        List<Ack> acks = new NetlinkConnection(kernel).batch(
                List.of(new NetlinkConnection.Request(TYPE, 0, new byte[20])), "batch");
        assertEquals(Errno.EMSGSIZE, acks.get(0).errno());
    }

    /** Passes sends through but never delivers an answer. */
    private static final class DroppingTransport implements NetlinkTransport {
        private final ScriptedTransport inner;

        DroppingTransport(ScriptedTransport inner) {
            this.inner = inner;
        }

        public int portId() {
            return inner.portId();
        }

        public void send(byte[] d, int l) {
            inner.send(d, l);
        }

        public int receive(byte[] b) {
            throw new NetlinkException("recvfrom", Errno.EAGAIN, "timeout", null);
        }

        public int sendBufferSize() {
            return inner.sendBufferSize();
        }

        public int receiveBufferSize() {
            return inner.receiveBufferSize();
        }

        public long sendCalls() {
            return inner.sendCalls();
        }

        public long receiveCalls() {
            return inner.receiveCalls();
        }

        public void close() {
        }
    }
}
