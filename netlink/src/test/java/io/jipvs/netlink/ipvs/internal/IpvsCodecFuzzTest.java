package io.jipvs.netlink.ipvs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.IpvsMutation;

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
        Service decoded;
        try {
            decoded = IpvsCodec.decodeService(reply(IpvsConstants.IPVS_CMD_NEW_SERVICE, attributes)).service();
        } catch (NetlinkException rejected) {
            return;
        }
        GenlMessage request = IpvsCodec.encode(new IpvsMutation.AddService(decoded));
        assertEquals(decoded, IpvsCodec.decodeService(request).service());
    }

    @FuzzTest
    void destination(byte[] attributes) {
        // Kernels before 3.18 leave the family out; the caller then supplies the service's.
        for (AddressFamily serviceFamily : AddressFamily.values()) {
            Destination decoded;
            try {
                decoded = IpvsCodec.decodeDestination(reply(IpvsConstants.IPVS_CMD_NEW_DEST, attributes),
                        serviceFamily).destination();
            } catch (NetlinkException rejected) {
                continue;
            }
            GenlMessage request = IpvsCodec.encode(new IpvsMutation.AddDestination(ANY_SERVICE, decoded));
            assertEquals(decoded, IpvsCodec.decodeDestination(request, serviceFamily).destination());
        }
    }

    @FuzzTest
    void daemon(byte[] attributes) {
        SyncDaemon decoded;
        try {
            decoded = IpvsCodec.decodeDaemon(reply(IpvsConstants.IPVS_CMD_NEW_DAEMON, attributes));
        } catch (NetlinkException rejected) {
            return;
        }
        assertEquals(decoded, IpvsCodec.decodeDaemon(IpvsCodec.encode(new IpvsMutation.StartDaemon(decoded))));
    }

    @FuzzTest
    void timeouts(byte[] attributes) {
        Timeouts decoded;
        try {
            decoded = IpvsCodec.decodeTimeouts(reply(IpvsConstants.IPVS_CMD_SET_CONFIG, attributes));
        } catch (NetlinkException rejected) {
            return;
        }
        assertEquals(decoded, IpvsCodec.decodeTimeouts(IpvsCodec.encode(new IpvsMutation.SetTimeouts(decoded))));
    }

    @FuzzTest
    void info(byte[] attributes) {
        try {
            IpvsCodec.decodeInfo(reply(IpvsConstants.IPVS_CMD_SET_INFO, attributes));
        } catch (NetlinkException rejected) {
            // malformed attributes
        }
    }

    private static GenlMessage reply(int command, byte[] attributes) {
        return new GenlMessage(command, IpvsConstants.IPVS_GENL_VERSION, attributes);
    }
}
