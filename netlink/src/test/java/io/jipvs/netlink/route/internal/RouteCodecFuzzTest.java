package io.jipvs.netlink.route.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.route.InterfaceAddress;

/**
 * The rtnetlink decoders over arbitrary payloads (struct ifinfomsg / ifaddrmsg and attributes).
 * A payload is either rejected with a {@link NetlinkException} or decodes; a decoded address is
 * written back faithfully by the request encoder. Anything else thrown is a finding.
 */
class RouteCodecFuzzTest {

    @FuzzTest
    void link(byte[] payload) {
        try {
            RouteCodec.decodeLink(payload);
        } catch (NetlinkException rejected) {
            // malformed
        }
    }

    @FuzzTest
    void address(byte[] payload) {
        InterfaceAddress decoded;
        try {
            decoded = RouteCodec.decodeAddress(payload);
        } catch (NetlinkException rejected) {
            return;
        }
        assertEquals(decoded, RouteCodec.decodeAddress(RouteCodec.address(decoded)));
    }
}
