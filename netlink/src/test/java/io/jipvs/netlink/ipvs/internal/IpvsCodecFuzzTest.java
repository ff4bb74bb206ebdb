package io.jipvs.netlink.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.util.function.Function;

/**
 * The IPVS reply decoders over arbitrary attribute bytes (what follows genlmsghdr). A reply is
 * either rejected with a {@link NetlinkException} or decodes into a value that the request
 * encoder writes back faithfully: decoding the encoding gives the same value. Anything else
 * thrown is a finding.
 */
class IpvsCodecFuzzTest {
    private static final ServiceKey ANY_SERVICE = ServiceKey.of(Protocol.TCP, Addresses.of(new byte[] {10, 0, 0, 1}), 80);

    @FuzzTest
    void service(byte[] attributes) {
        decodesFaithfully(IpvsConstants.IPVS_CMD_NEW_SERVICE, attributes, m -> IpvsCodec.decodeService(m).service(),
                IpvsMutation.AddService::new);
    }

    @FuzzTest
    void destination(byte[] attributes) {
        // Kernels before 3.18 leave the family out; the caller then supplies the service's.
        for (AddressFamily serviceFamily : AddressFamily.values()) {
            decodesFaithfully(IpvsConstants.IPVS_CMD_NEW_DEST, attributes,
                    m -> IpvsCodec.decodeDestination(m, serviceFamily).destination(),
                    d -> new IpvsMutation.AddDestination(ANY_SERVICE, d));
        }
    }

    @FuzzTest
    void daemon(byte[] attributes) {
        decodesFaithfully(IpvsConstants.IPVS_CMD_NEW_DAEMON, attributes, IpvsCodec::decodeDaemon,
                IpvsMutation.StartDaemon::new);
    }

    @FuzzTest
    void timeouts(byte[] attributes) {
        decodesFaithfully(IpvsConstants.IPVS_CMD_SET_CONFIG, attributes, IpvsCodec::decodeTimeouts,
                IpvsMutation.SetTimeouts::new);
    }

    @FuzzTest
    void info(byte[] attributes) {
        try {
            IpvsCodec.decodeInfo(reply(IpvsConstants.IPVS_CMD_SET_INFO, attributes));
        } catch (NetlinkException rejected) {
            // malformed attributes
        }
    }

    /** Decodes a reply; unless rejected, the request made of its value must decode to the same value. */
    private static <T> void decodesFaithfully(int command, byte[] attributes, Function<GenlMessage, T> decode,
                                              Function<T, IpvsMutation> request) {
        T decoded;
        try {
            decoded = decode.apply(reply(command, attributes));
        } catch (NetlinkException rejected) {
            return;
        }
        assertEquals(decoded, decode.apply(IpvsCodec.encode(request.apply(decoded))));
    }

    private static GenlMessage reply(int command, byte[] attributes) {
        return new GenlMessage(command, IpvsConstants.IPVS_GENL_VERSION, attributes);
    }
}
