package io.jipvs.netlink.ipvs;

import static io.jipvs.netlink.ipvs.internal.IpvsConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncState;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.internal.AttributeReader;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkMessage;
import io.jipvs.netlink.internal.genl.GenericNetlink;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.internal.IpvsCodec;
import io.jipvs.netlink.nltest.ScriptedTransport;
import io.jipvs.netlink.nltest.ScriptedTransport.Reply;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The typed client against a scripted kernel that knows nlctrl and the IPVS family id 0x23. */
class IpvsClientTest {
    private static final int FAMILY_ID = 0x23;

    private final List<NetlinkMessage> ipvsRequests = new ArrayList<>();
    private int familyLookups;

    private ScriptedTransport kernel(Function<NetlinkMessage, Reply> ipvs) {
        return new ScriptedTransport(req -> {
            if (req.type() == GenericNetlink.GENL_ID_CTRL) {
                familyLookups++;
                byte[] attrs = new AttributeWriter().u16(GenericNetlink.CTRL_ATTR_FAMILY_ID, FAMILY_ID)
                        .string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS").u32(GenericNetlink.CTRL_ATTR_VERSION, 1)
                        .u32(GenericNetlink.CTRL_ATTR_HDRSIZE, 0).u32(GenericNetlink.CTRL_ATTR_MAXATTR, 6)
                        .toByteArray();
                return Reply.data(ScriptedTransport.reply(req, GenericNetlink.GENL_ID_CTRL, 0,
                        new GenlMessage(GenericNetlink.CTRL_CMD_NEWFAMILY, 2, attrs).encode()));
            }
            assertEquals(FAMILY_ID, req.type(), "IPVS requests use the resolved family id");
            GenlMessage g = GenlMessage.decode(req, "test");
            if (g.command() == IPVS_CMD_GET_INFO) {
                byte[] attrs = new AttributeWriter().u32(IPVS_INFO_ATTR_VERSION, 0x010201)
                        .u32(IPVS_INFO_ATTR_CONN_TAB_SIZE, 4096).toByteArray();
                return Reply.data(ScriptedTransport.reply(req, FAMILY_ID, 0,
                        new GenlMessage(IPVS_CMD_SET_INFO, 1, attrs).encode()));
            }
            ipvsRequests.add(req);
            return ipvs.apply(req);
        });
    }

    private static ServiceKey key(String ip, int port) throws Exception {
        return ServiceKey.of(Protocol.TCP, InetAddress.getByName(ip), port);
    }

    @Test
    void openResolvesTheFamilyOnceAndReadsInfo() {
        ScriptedTransport t = kernel(req -> Reply.ok());
        try (IpvsClient c = IpvsClient.open(t)) {
            assertEquals(FAMILY_ID, c.family().id());
            assertEquals(new IpvsInfo(0x010201, 4096), c.info());
            c.flush();
            c.zero();
            assertEquals(1, familyLookups);
        }
        assertTrue(t.closed());
        NetlinkMessage lookup = t.sentMessages().get(0);
        GenlMessage g = GenlMessage.decode(lookup, "t");
        assertEquals(GenericNetlink.CTRL_CMD_GETFAMILY, g.command());
        AttributeReader r = AttributeReader.of(g.attributes());
        assertTrue(r.next());
        assertEquals(GenericNetlink.CTRL_ATTR_FAMILY_NAME, r.type());
        assertEquals("IPVS", r.string());
    }

    @Test
    void kernelWithoutIpvsFailsAtInitWithTheFamilyLookupsErrno() {
        // nlctrl answers ENOENT for an unknown family; ipvsadm's wording for it lives in cli.
        ScriptedTransport t = new ScriptedTransport(req -> Reply.error(Errno.ENOENT));
        IpvsException e = assertThrows(IpvsException.class, () -> IpvsClient.open(t));
        assertEquals(IpvsOperation.INIT, e.ipvsOperation());
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("initialize IPVS: No such file or directory", e.getMessage());
        assertTrue(t.closed(), "the socket is closed on failure");
    }

    @Test
    void unprivilegedCallerFailsAtInitWithEperm() {
        ScriptedTransport t = new ScriptedTransport(req -> {
            if (req.type() == GenericNetlink.GENL_ID_CTRL) {
                return familyReply(req);
            }
            return Reply.error(Errno.EPERM);
        });
        IpvsException e = assertThrows(IpvsException.class, () -> IpvsClient.open(t));
        assertEquals(IpvsOperation.INIT, e.ipvsOperation());
        assertEquals(Errno.EPERM, e.errno());
        assertEquals("initialize IPVS: Operation not permitted", e.getMessage());
    }

    private static Reply familyReply(NetlinkMessage req) {
        byte[] attrs = new AttributeWriter().u16(GenericNetlink.CTRL_ATTR_FAMILY_ID, FAMILY_ID)
                .string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "IPVS").toByteArray();
        return Reply.data(ScriptedTransport.reply(req, GenericNetlink.GENL_ID_CTRL, 0,
                new GenlMessage(GenericNetlink.CTRL_CMD_NEWFAMILY, 2, attrs).encode()));
    }

    @Test
    void addServiceSendsNewServiceWithAckAndReportsEexist() throws Exception {
        ScriptedTransport t = kernel(req -> Reply.error(Errno.EEXIST));
        try (IpvsClient c = IpvsClient.open(t)) {
            Service s = Service.builder(key("10.0.0.1", 80)).scheduler("rr").build();
            IpvsException e = assertThrows(IpvsException.class, () -> c.addService(s));
            assertEquals(Errno.EEXIST, e.errno());
            assertEquals("add service: File exists", e.getMessage());
            assertEquals(IpvsOperation.ADD_SERVICE, e.ipvsOperation());
            NetlinkMessage sent = ipvsRequests.get(0);
            assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, sent.flags());
            assertArrayEquals(IpvsCodec.encode(new IpvsMutation.AddService(s)).encode(), sent.payload());
        }
    }

    @Test
    void missingServiceLookupIsEmpty() throws Exception {
        try (IpvsClient c = IpvsClient.open(kernel(req -> Reply.error(Errno.ESRCH)))) {
            assertTrue(c.service(key("10.0.0.1", 80)).isEmpty());
        }
    }

    @Test
    void destinationsOfAMissingServiceAreAnEmptyDump() throws Exception {
        try (IpvsClient c = IpvsClient.open(kernel(req -> ScriptedTransport.dump(req, FAMILY_ID, List.of(), 1)))) {
            assertEquals(List.of(), c.destinations(key("10.9.9.9", 80)));
            NetlinkMessage sent = ipvsRequests.get(0);
            assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, sent.flags());
        }
    }

    @Test
    void servicesDumpDecodesEveryMessage() throws Exception {
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            Service s = Service.builder(key("10.0.0." + i, 80)).scheduler("rr").build();
            byte[] request = IpvsCodec.encode(new IpvsMutation.AddService(s)).encode();
            request[0] = (byte) IPVS_CMD_NEW_SERVICE;
            payloads.add(request);
        }
        payloads.add(new GenlMessage(IPVS_CMD_NEW_SERVICE, 1, new AttributeWriter().nested(IPVS_CMD_ATTR_SERVICE,
                w -> w.u16(IPVS_SVC_ATTR_AF, 2).u32(IPVS_SVC_ATTR_FWMARK, 5).string(IPVS_SVC_ATTR_SCHED_NAME, "wlc")
                        .binary(IPVS_SVC_ATTR_FLAGS, new byte[8]).u32(IPVS_SVC_ATTR_TIMEOUT, 0)
                        .be32(IPVS_SVC_ATTR_NETMASK, -1)).toByteArray()).encode());
        try (IpvsClient c = IpvsClient.open(kernel(req -> ScriptedTransport.dump(req, FAMILY_ID, payloads, 7)))) {
            List<ServiceEntry> all = c.services();
            assertEquals(31, all.size());
            assertEquals(key("10.0.0.30", 80), all.get(29).key());
            assertEquals(ServiceKey.ofFwmark(AddressFamily.INET, 5), all.get(30).key());
        }
    }

    @Test
    void batchReportsEachFailureWithItsOperationAndErrno() throws Exception {
        ServiceKey svc = key("10.0.0.1", 80);
        InetAddress rip = InetAddress.getByName("10.1.1.1");
        List<IpvsMutation> mutations = List.of(
                new IpvsMutation.AddService(Service.builder(svc).build()),
                new IpvsMutation.AddDestination(key("10.0.0.2", 80), Destination.of(rip, 80)),
                new IpvsMutation.AddDestination(svc, Destination.of(rip, 80)),
                new IpvsMutation.DeleteDestination(svc, rip, 81),
                new IpvsMutation.StopDaemon(SyncState.MASTER));
        ScriptedTransport t = kernel(req -> {
            int cmd = GenlMessage.decode(req, "t").command();
            int index = ipvsRequests.size() - 1;
            if (index == 1) {
                return Reply.error(Errno.ESRCH);
            }
            if (cmd == IPVS_CMD_DEL_DEST) {
                return Reply.error(Errno.ENOENT);
            }
            if (cmd == IPVS_CMD_DEL_DAEMON) {
                return Reply.error(Errno.ESRCH);
            }
            return Reply.ok();
        });
        try (IpvsClient c = IpvsClient.open(t)) {
            long sendsBefore = c.sendCalls();
            long receivesBefore = c.receiveCalls();
            List<IpvsResult> results = c.apply(mutations);
            assertEquals(5, results.size());
            assertNull(results.get(0).error());
            assertEquals("add destination: No such process", results.get(1).error().getMessage());
            assertTrue(results.get(2).ok());
            assertEquals("delete destination: No such file or directory", results.get(3).error().getMessage());
            assertEquals(IpvsOperation.STOP_DAEMON, results.get(4).error().ipvsOperation());
            assertEquals(Errno.ESRCH, results.get(4).error().errno());
            assertEquals(1, c.sendCalls() - sendsBefore);
            assertEquals(3, c.receiveCalls() - receivesBefore); // two errors + the last one's error
        }
    }
}
