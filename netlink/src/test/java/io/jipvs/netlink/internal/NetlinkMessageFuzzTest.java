package io.jipvs.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.genl.GenlMessage;
import java.util.List;

/**
 * A received datagram, as the socket hands it over: split into messages, every NLMSG_ERROR's
 * errno and extended ACK read, every other message opened as generic netlink. Rejections are
 * {@link NetlinkException}s; anything else thrown is a finding (make fuzz; the kept inputs run
 * with the unit tests).
 */
class NetlinkMessageFuzzTest {

    @FuzzTest
    void parse(byte[] datagram) {
        List<NetlinkMessage> messages;
        try {
            messages = NetlinkMessage.parse(datagram, datagram.length, "fuzz");
        } catch (NetlinkException rejected) {
            return;
        }
        for (NetlinkMessage m : messages) {
            // What was parsed is what its encoding parses back to.
            assertEquals(List.of(m), NetlinkMessage.parse(m.encode(), m.encode().length, "fuzz"));
            if (m.type() == Netlink.NLMSG_ERROR || m.type() == Netlink.NLMSG_DONE) {
                try {
                    m.errorCode("fuzz");
                } catch (NetlinkException rejected) {
                    // an error message too short for its errno
                }
                m.extendedAck(); // never throws: a damaged TLV area must not hide the errno
                continue;
            }
            try {
                GenlMessage g = GenlMessage.decode(m, "fuzz");
                assertEquals(m.payload().length - 4, g.attributes().length);
            } catch (NetlinkException rejected) {
                // shorter than genlmsghdr
            }
        }
    }
}
