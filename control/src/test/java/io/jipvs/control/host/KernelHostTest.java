package io.jipvs.control.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.model.Addresses;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkMessage;
import io.jipvs.netlink.nltest.ScriptedTransport;
import io.jipvs.netlink.nltest.ScriptedTransport.Reply;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import io.jipvs.netlink.route.RouteClient;
import io.jipvs.netlink.route.Rtnetlink;
import io.jipvs.netlink.route.internal.RouteCodec;
import io.jipvs.netlink.sysctl.Sysctl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real host's observation, against a scripted rtnetlink and a sysctl tree in a directory. */
class KernelHostTest {
    private static final Link LO = new Link(1, "lo", Rtnetlink.IFF_UP | Rtnetlink.IFF_LOOPBACK, 0, 0, "");
    private static final InterfaceAddress LOOPBACK = InterfaceAddress.host(1, Addresses.literal("127.0.0.1"),
            Rtnetlink.IFA_F_PERMANENT, Rtnetlink.RT_SCOPE_HOST);
    private static final InterfaceAddress MAPPED = InterfaceAddress.host(1, Addresses.literal("::ffff:10.9.9.9"),
            Rtnetlink.IFA_F_PERMANENT | Rtnetlink.IFA_F_NODAD, Rtnetlink.RT_SCOPE_UNIVERSE);

    @TempDir
    Path sys;

    /** A one-datagram dump answer, flagged NLM_F_DUMP_INTR when {@code interrupted}. */
    private static Reply dump(NetlinkMessage request, int type, boolean interrupted, byte[]... payloads) {
        int flags = Netlink.NLM_F_MULTI | (interrupted ? Netlink.NLM_F_DUMP_INTR : 0);
        List<NetlinkMessage> messages = new ArrayList<>();
        for (byte[] p : payloads) {
            messages.add(ScriptedTransport.reply(request, type, flags, p));
        }
        messages.add(ScriptedTransport.done(request));
        return Reply.datagrams(List.of(messages));
    }

    @Test
    void observationReadsDumpsInterruptedByConcurrentChangesAgain() throws Exception {
        Files.createDirectories(sys.resolve("net/ipv4/conf/lo"));
        Files.writeString(sys.resolve("net/ipv4/conf/lo/arp_ignore"), "1\n");
        Set<Integer> interruptedOnce = new HashSet<>();
        ScriptedTransport kernel = new ScriptedTransport(req -> {
            boolean interrupted = interruptedOnce.add(req.type()); // each table changes once under the reader
            if (req.type() == Rtnetlink.RTM_GETLINK) {
                byte[] lo = RouteCodec.ifinfomsg(Rtnetlink.AF_UNSPEC, 1, LO.flags(), 0,
                        new AttributeWriter().string(Rtnetlink.IFLA_IFNAME, "lo").toByteArray());
                return dump(req, Rtnetlink.RTM_NEWLINK, interrupted, lo);
            }
            return dump(req, Rtnetlink.RTM_NEWADDR, interrupted, RouteCodec.address(LOOPBACK),
                    RouteCodec.address(MAPPED));
        });
        try (KernelHost host = new KernelHost(RouteClient.open(kernel), new Sysctl(sys))) {
            Observed seen = host.observe();
            assertEquals(List.of(LO), seen.links());
            assertEquals(List.of(LOOPBACK, MAPPED), seen.addresses());
            assertEquals(OptionalInt.of(1), seen.sysctl(Sysctl.ipv4Conf("lo", "arp_ignore")));
        }
        assertEquals(List.of(Rtnetlink.RTM_GETLINK, Rtnetlink.RTM_GETLINK, Rtnetlink.RTM_GETADDR, Rtnetlink.RTM_GETADDR),
                kernel.sentMessages().stream().map(NetlinkMessage::type).toList());
    }
}
