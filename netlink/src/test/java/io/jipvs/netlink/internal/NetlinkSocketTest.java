package io.jipvs.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.internal.genl.GenericNetlink;
import io.jipvs.netlink.internal.genl.GenericNetlinkClient;
import io.jipvs.netlink.internal.genl.GenlFamily;
import org.junit.jupiter.api.Test;

/**
 * The JNR socket against this machine's kernel, using only what every Linux kernel has: the
 * generic-netlink controller itself.
 */
class NetlinkSocketTest {

    @Test
    void socketBindsToAKernelAssignedPortAndTalksToTheController() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            assertTrue(socket.portId() != 0, "kernel-assigned port id");
            assertTrue(socket.receiveBufferSize() > 0 && socket.sendBufferSize() > 0);
            GenericNetlinkClient client = new GenericNetlinkClient(new NetlinkConnection(socket));
            GenlFamily ctrl = client.family("nlctrl");
            assertEquals(GenericNetlink.GENL_ID_CTRL, ctrl.id());
            NetlinkException e = assertThrows(NetlinkException.class, () -> client.family("jipvs-none"));
            assertEquals(Errno.ENOENT, e.errno());
            assertEquals(2, socket.sendCalls());
            assertEquals(3, socket.receiveCalls()); // reply + ACK, then the error
        }
    }

    @Test
    void policyViolationsCarryTheKernelsExtendedAckMessage() {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            GenericNetlinkClient client = new GenericNetlinkClient(new NetlinkConnection(socket));
            // Longer than GENL_NAMSIZ: nlctrl's policy rejects it and NETLINK_EXT_ACK explains why.
            NetlinkException e = assertThrows(NetlinkException.class,
                    () -> client.family("a-family-name-longer-than-sixteen"));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.extendedAck().present(), "extended ACK expected");
        }
    }

    @Test
    void missingNamespaceFileFailsWithItsPath() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> NetworkNamespace.callIn(
                java.nio.file.Path.of("/nonexistent/jipvs-netns"), () -> 1));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/nonexistent/jipvs-netns"), e.getMessage());
    }
}
