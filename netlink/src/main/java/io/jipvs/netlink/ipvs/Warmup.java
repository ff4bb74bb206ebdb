package io.jipvs.netlink.ipvs;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.internal.NetlinkMessage;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.internal.IpvsCodec;

/**
 * Runs the IPVS codec both ways once, without a kernel, so that a program's class-data sharing
 * archive (or its JIT) already holds what a change and a listing load. Nothing else uses it.
 */
public final class Warmup {
    private Warmup() {
    }

    /** Encodes a service and a destination as -A/-a would, and decodes them as a listing does. */
    public static void codec() {
        ServiceKey key = ServiceKey.of(Protocol.TCP, Addresses.of(new byte[] {10, 0, 0, 1}), 80);
        Service service = Service.builder(key).scheduler("rr").build();
        Destination real = Destination.of(Addresses.of(new byte[] {10, 0, 0, 2}), 80)
                .withForwarding(ForwardingMethod.MASQ).withWeight(2);
        // The request messages carry the same nested attributes as the kernel's replies.
        IpvsCodec.decodeService(roundTrip(IpvsCodec.encode(new IpvsMutation.AddService(service))));
        IpvsCodec.decodeDestination(roundTrip(IpvsCodec.encode(new IpvsMutation.AddDestination(key, real))),
                AddressFamily.INET);
    }

    private static GenlMessage roundTrip(GenlMessage message) {
        byte[] datagram = new NetlinkMessage(0x20, 0, 1, 0, message.encode()).encode();
        return GenlMessage.decode(NetlinkMessage.parse(datagram, datagram.length, "warm-up").get(0), "warm-up");
    }
}
