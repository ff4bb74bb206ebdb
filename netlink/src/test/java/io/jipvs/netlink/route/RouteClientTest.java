package io.jipvs.netlink.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkMessage;
import io.jipvs.netlink.nltest.ScriptedTransport;
import io.jipvs.netlink.nltest.ScriptedTransport.Reply;
import io.jipvs.netlink.route.internal.RouteCodec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The route client's requests (types, flags) and its reading of replies, against a scripted kernel. */
class RouteClientTest {
    private final List<NetlinkMessage> requests = new ArrayList<>();

    private static byte[] linkPayload(int index, String name, int flags) {
        return RouteCodec.ifinfomsg(0, index, flags, 0,
                new io.jipvs.netlink.internal.AttributeWriter().string(Rtnetlink.IFLA_IFNAME, name).toByteArray());
    }

    @Test
    void linkByNameReturnsTheLinkOrEmptyOnEnodev() {
        ScriptedTransport t = new ScriptedTransport(req -> {
            requests.add(req);
            String name = RouteCodec.decodeLink(req.payload()).name();
            if (name.equals("lo")) {
                return Reply.data(ScriptedTransport.reply(req, Rtnetlink.RTM_NEWLINK, 0, linkPayload(1, "lo", 0x49)));
            }
            return Reply.error(Errno.ENODEV);
        });
        try (RouteClient c = RouteClient.open(t)) {
            assertEquals(new Link(1, "lo", 0x49, 0, 0, ""), c.link("lo").orElseThrow());
            assertTrue(c.link("tunl0").isEmpty());
        }
        assertEquals(Rtnetlink.RTM_GETLINK, requests.get(0).type());
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, requests.get(0).flags());
    }

    @Test
    void addAddressAsksForExclusiveCreateAndReportsEexist() throws Exception {
        ScriptedTransport t = new ScriptedTransport(req -> {
            requests.add(req);
            return requests.size() == 1 ? Reply.ok() : Reply.error(Errno.EEXIST);
        });
        InterfaceAddress vip = InterfaceAddress.host(1, InetAddress.getByName("10.0.0.100"), 0, Rtnetlink.RT_SCOPE_HOST);
        try (RouteClient c = RouteClient.open(t)) {
            c.addAddress(vip, "lo");
            NetlinkException e = assertThrows(NetlinkException.class, () -> c.addAddress(vip, "lo"));
            assertEquals(Errno.EEXIST, e.errno());
            assertEquals("RTM_NEWADDR 10.0.0.100/32 dev lo: File exists", e.getMessage());
        }
        NetlinkMessage m = requests.get(0);
        assertEquals(Rtnetlink.RTM_NEWADDR, m.type());
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, m.flags());
        assertArrayEquals(RouteCodec.address(vip), m.payload());
    }

    @Test
    void deleteAddressAndLinkChanges() throws Exception {
        ScriptedTransport t = new ScriptedTransport(req -> {
            requests.add(req);
            return Reply.ok();
        });
        InterfaceAddress vip = InterfaceAddress.host(1, InetAddress.getByName("fd00::100"), Rtnetlink.IFA_F_NODAD, 0);
        Link tunl0 = new Link(4, "tunl0", 0x80, 768, 1480, "ipip");
        try (RouteClient c = RouteClient.open(t)) {
            c.deleteAddress(vip, "lo");
            c.setUp(tunl0, true);
            c.createLink("tunl0", "ipip");
            c.deleteLink(tunl0);
        }
        assertEquals(List.of(Rtnetlink.RTM_DELADDR, Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_NEWLINK, Rtnetlink.RTM_DELLINK),
                requests.stream().map(NetlinkMessage::type).toList());
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, requests.get(0).flags());
        assertArrayEquals(RouteCodec.setLinkUp(4, true), requests.get(1).payload());
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
                requests.get(2).flags());
        assertArrayEquals(RouteCodec.deleteLink(4), requests.get(3).payload());
    }

    @Test
    void addressDumpFiltersTheFamily() throws Exception {
        InterfaceAddress v4 = InterfaceAddress.host(1, InetAddress.getByName("10.0.0.100"), 0x80, 254);
        InterfaceAddress v6 = InterfaceAddress.host(1, InetAddress.getByName("::1"), 0x80, 254);
        ScriptedTransport t = new ScriptedTransport(req -> {
            requests.add(req);
            return ScriptedTransport.dump(req, Rtnetlink.RTM_NEWADDR,
                    List.of(RouteCodec.address(v4), RouteCodec.address(v6)), 1);
        });
        try (RouteClient c = RouteClient.open(t)) {
            assertEquals(List.of(v4), c.addresses(Rtnetlink.AF_INET));
            assertEquals(List.of(v4, v6), c.addresses(Rtnetlink.AF_UNSPEC));
        }
        assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, requests.get(0).flags());
    }

    @Test
    void dumpsInterruptedByAConcurrentChangeAreReadAgain() {
        // The kernel flags a dump NLM_F_DUMP_INTR when the table changed while it was read.
        ScriptedTransport t = new ScriptedTransport(req -> {
            requests.add(req);
            int flags = Netlink.NLM_F_MULTI | (requests.size() == 1 ? Netlink.NLM_F_DUMP_INTR : 0);
            return Reply.datagrams(List.of(List.of(
                    ScriptedTransport.reply(req, Rtnetlink.RTM_NEWLINK, flags, linkPayload(1, "lo", 0x49)),
                    ScriptedTransport.done(req))));
        });
        try (RouteClient c = RouteClient.open(t)) {
            assertEquals(List.of(new Link(1, "lo", 0x49, 0, 0, "")), c.links());
        }
        assertEquals(2, requests.size());
    }
}
