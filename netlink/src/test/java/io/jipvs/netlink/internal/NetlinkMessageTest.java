package io.jipvs.netlink.internal;

import static io.jipvs.netlink.nltest.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** struct nlmsghdr framing and NLMSG_ERROR decoding, including extended ACKs. */
class NetlinkMessageTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void headerIsLengthTypeFlagsSeqPidThenPaddedPayload() {
        byte[] encoded = new NetlinkMessage(0x10, 0x5, 7, 42, new byte[] {3, 1, 0, 0, 9}).encode();
        assertArrayEquals(bytes("15 00 00 00 10 00 05 00 07 00 00 00 2a 00 00 00 | 03 01 00 00 09 00 00 00"), encoded);
    }

    @Test
    void parseSplitsADatagramIntoMessages() {
        byte[] a = new NetlinkMessage(0x20, 2, 1, 9, new byte[] {1, 2, 3}).encode();
        byte[] b = new NetlinkMessage(Netlink.NLMSG_DONE, 2, 1, 9, new byte[4]).encode();
        byte[] datagram = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
        List<NetlinkMessage> messages = NetlinkMessage.parse(datagram, datagram.length, "t");
        assertEquals(2, messages.size());
        assertArrayEquals(new byte[] {1, 2, 3}, messages.get(0).payload());
        assertEquals(Netlink.NLMSG_DONE, messages.get(1).type());
    }

    @Test
    void truncatedHeaderIsAProtocolError() {
        byte[] datagram = bytes("14 00 00 00 10 00");
        NetlinkException e = assertThrows(NetlinkException.class, () -> NetlinkMessage.parse(datagram, 6, "t"));
        assertEquals(Errno.EPROTO, e.errno());
    }

    @Test
    void lengthBeyondTheDatagramIsAProtocolError() {
        byte[] datagram = bytes("40 00 00 00 10 00 00 00 01 00 00 00 00 00 00 00");
        assertThrows(NetlinkException.class, () -> NetlinkMessage.parse(datagram, datagram.length, "t"));
    }

    @Test
    void lengthBelowTheHeaderIsAProtocolError() {
        byte[] datagram = bytes("08 00 00 00 10 00 00 00 01 00 00 00 00 00 00 00");
        assertThrows(NetlinkException.class, () -> NetlinkMessage.parse(datagram, datagram.length, "t"));
    }

    @Test
    void errorCodeIsTheNegatedErrno() {
        NetlinkMessage m = new NetlinkMessage(Netlink.NLMSG_ERROR, 0, 1, 1, bytes("ef ff ff ff"));
        assertEquals(Errno.EEXIST, m.errorCode("t"));
    }

    /**
     * Without NETLINK_CAP_ACK the kernel echoes the whole request, so the TLVs start at
     * 4 + the echoed nlmsg_len, not at 4 + 16.
     */
    @Test
    void extendedAckFollowsTheFullEchoedRequest() {
        byte[] request = new NetlinkMessage(0x24, 5, 3, 77, bytes("01 01 00 00 08 00 01 00 aa bb cc dd")).encode();
        byte[] tlvs = new AttributeWriter().string(Netlink.NLMSGERR_ATTR_MSG, "bad attribute")
                .u32(Netlink.NLMSGERR_ATTR_OFFS, 20).toByteArray();
        ByteBuffer p = ByteBuffer.allocate(4 + request.length + tlvs.length).order(ByteOrder.nativeOrder());
        p.putInt(-Errno.EINVAL).put(request).put(tlvs);
        NetlinkMessage error = new NetlinkMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS, 3, 77, p.array());
        assertEquals(Errno.EINVAL, error.errorCode("t"));
        assertEquals(new ExtendedAck("bad attribute", 20), error.extendedAck());
    }

    @Test
    void extendedAckAfterACappedEcho() {
        byte[] header = new NetlinkMessage(0x24, 5, 3, 77, new byte[40]).encode();
        byte[] tlvs = new AttributeWriter().string(Netlink.NLMSGERR_ATTR_MSG, "capped").toByteArray();
        ByteBuffer p = ByteBuffer.allocate(4 + 16 + tlvs.length).order(ByteOrder.nativeOrder());
        p.putInt(-Errno.EINVAL).put(header, 0, 16).put(tlvs);
        NetlinkMessage error = new NetlinkMessage(Netlink.NLMSG_ERROR,
                Netlink.NLM_F_ACK_TLVS | Netlink.NLM_F_CAPPED, 3, 77, p.array());
        assertEquals("capped", error.extendedAck().message());
        assertEquals(-1, error.extendedAck().offset());
    }

    @Test
    void noTlvFlagMeansNoExtendedAck() {
        NetlinkMessage error = new NetlinkMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED, 3, 77, new byte[20]);
        assertFalse(error.extendedAck().present());
    }

    @Test
    void bogusEchoedLengthYieldsNoExtendedAckInsteadOfAnException() {
        ByteBuffer p = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        p.putInt(-Errno.EINVAL).putInt(0x7FFF_FFFF);
        NetlinkMessage error = new NetlinkMessage(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS, 3, 77, p.array());
        assertEquals(Errno.EINVAL, error.errorCode("t"));
        assertFalse(error.extendedAck().present());
    }

    @Test
    void errnoTableUsesTheCLibraryTexts() {
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("No such file or directory", Errno.strerror(2));
        assertEquals("Numerical result out of range", Errno.strerror(Errno.ERANGE));
        assertEquals("Protocol not available", Errno.strerror(Errno.ENOPROTOOPT));
        assertEquals("Unknown error 4000", Errno.strerror(4000));
    }
}
