package io.jipvs.netlink.internal;

import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One netlink message: the fields of struct nlmsghdr and the payload after it.
 *
 * @param type  nlmsg_type (family id, or NLMSG_ERROR/DONE/...)
 * @param flags nlmsg_flags
 * @param seq   nlmsg_seq
 * @param pid   nlmsg_pid (port id)
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, byte[] payload) {

    public NetlinkMessage {
        payload = payload == null ? new byte[0] : payload;
    }

    /** nlmsg_len: header plus payload, without trailing padding. */
    public int length() {
        return Netlink.NLMSG_HDRLEN + payload.length;
    }

    /** Appends this message, padded to 4 bytes, to {@code out}. */
    public void writeTo(ByteBuffer out) {
        ByteBuffer b = out.order(ByteOrder.nativeOrder());
        int start = b.position();
        b.putInt(length()).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid).put(payload);
        while (b.position() - start < Netlink.align(length())) {
            b.put((byte) 0);
        }
    }

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(Netlink.align(length()));
        writeTo(b);
        return b.array();
    }

    /**
     * Splits a received datagram into messages. A datagram whose lengths do not add up is
     * rejected as a whole with a protocol error; nothing here can index outside the buffer.
     */
    public static List<NetlinkMessage> parse(byte[] datagram, int length, String operation) {
        if (length < 0 || length > datagram.length) {
            throw NetlinkException.protocol(operation, "datagram length " + length + " outside the buffer");
        }
        ByteBuffer b = ByteBuffer.wrap(datagram, 0, length).order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        int offset = 0;
        while (offset < length) {
            int remaining = length - offset;
            if (remaining < Netlink.NLMSG_HDRLEN) {
                throw NetlinkException.protocol(operation, "truncated message header (" + remaining + " bytes)");
            }
            int msgLength = b.getInt(offset);
            if (msgLength < Netlink.NLMSG_HDRLEN || msgLength > remaining) {
                throw NetlinkException.protocol(operation,
                        "message length " + Integer.toUnsignedString(msgLength) + " invalid with " + remaining
                                + " bytes left");
            }
            int type = Short.toUnsignedInt(b.getShort(offset + 4));
            int flags = Short.toUnsignedInt(b.getShort(offset + 6));
            int seq = b.getInt(offset + 8);
            int pid = b.getInt(offset + 12);
            byte[] payload = Arrays.copyOfRange(datagram, offset + Netlink.NLMSG_HDRLEN, offset + msgLength);
            messages.add(new NetlinkMessage(type, flags, seq, pid, payload));
            offset = Math.min(length, offset + Netlink.align(msgLength));
        }
        return messages;
    }

    /**
     * For an NLMSG_ERROR message: the errno it reports (0 for a plain ACK).
     */
    public int errorCode(String operation) {
        if (payload.length < 4) {
            throw NetlinkException.protocol(operation, "NLMSG_ERROR/DONE without an error code");
        }
        int error = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(0);
        return -error;
    }

    /**
     * For an NLMSG_ERROR message: the extended-ACK TLVs. They follow the echoed request, i.e. they
     * start at 4 + the echoed nlmsg_len, or at 4 + 16 when the echo was capped.
     */
    public ExtendedAck extendedAck() {
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0) {
            return ExtendedAck.NONE;
        }
        int start;
        if (type == Netlink.NLMSG_DONE) {
            start = 4;
        } else {
            if (payload.length < 4 + Netlink.NLMSG_HDRLEN) {
                return ExtendedAck.NONE;
            }
            int echoedLength = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(4);
            if ((flags & Netlink.NLM_F_CAPPED) != 0) {
                echoedLength = Netlink.NLMSG_HDRLEN;
            }
            if (echoedLength < Netlink.NLMSG_HDRLEN || echoedLength > payload.length - 4) {
                return ExtendedAck.NONE;
            }
            start = 4 + Netlink.align(echoedLength);
        }
        if (start >= payload.length) {
            return ExtendedAck.NONE;
        }
        String message = null;
        int offset = -1;
        AttributeReader r = AttributeReader.of(payload, start, payload.length - start);
        while (r.next()) {
            switch (r.type()) {
                case Netlink.NLMSGERR_ATTR_MSG -> message = r.string();
                case Netlink.NLMSGERR_ATTR_OFFS -> offset = r.u32();
                default -> {
                }
            }
        }
        // A damaged TLV area must not hide the errno itself: keep what was read before it.
        return new ExtendedAck(message, offset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetlinkMessage m && m.type == type && m.flags == flags && m.seq == seq && m.pid == pid
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + flags) * 31 + seq) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq="
                + Integer.toUnsignedString(seq) + ", pid=" + Integer.toUnsignedString(pid) + ", payload="
                + payload.length + " bytes]";
    }
}
