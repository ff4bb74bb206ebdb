package io.jipvs.netlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.internal.genl.GenericNetlink;
import io.jipvs.netlink.internal.genl.GenericNetlinkClient;
import io.jipvs.netlink.internal.genl.GenlFamily;
import io.jipvs.netlink.internal.genl.GenlMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

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

    /** A GETFAMILY request for nlctrl, which every kernel answers. */
    private static byte[] getNlctrl() {
        byte[] attrs = new AttributeWriter().string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "nlctrl").toByteArray();
        return new NetlinkMessage(GenericNetlink.GENL_ID_CTRL, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 1, 0,
                new GenlMessage(GenericNetlink.CTRL_CMD_GETFAMILY, 1, attrs).encode()).encode();
    }

    private static void assertSocketClosed(String operation, Executable call) {
        NetlinkException e = assertThrows(NetlinkException.class, call);
        assertEquals(Errno.EBADF, e.errno());
        assertEquals(operation + ": socket closed", e.getMessage());
    }

    @Test
    void closedSocketRefusesEveryOperationEvenWhenItsNumberIsReused() {
        NetlinkSocket closed = NetlinkSocket.open(Netlink.NETLINK_GENERIC);
        closed.close();
        // The lowest free descriptor number is handed out again: most likely the closed one's.
        try (NetlinkSocket reuser = NetlinkSocket.open(Netlink.NETLINK_GENERIC)) {
            byte[] request = getNlctrl();
            assertSocketClosed("sendto", () -> closed.send(request, request.length));
            assertSocketClosed("recvfrom", () -> closed.receive(new byte[NetlinkConnection.RECEIVE_BUFFER_BYTES]));
            closed.close();
            assertEquals(0, reuser.receiveCalls());
            GenlFamily ctrl = new GenericNetlinkClient(new NetlinkConnection(reuser)).family("nlctrl");
            assertEquals(GenericNetlink.GENL_ID_CTRL, ctrl.id());
            assertEquals(2, reuser.receiveCalls(), "reply + ACK, nothing sent by the closed socket");
        }
        assertEquals(0, closed.sendCalls() + closed.receiveCalls(), "no system call after close");
    }

    @Test
    void closeDuringAReceiveKeepsTheDescriptorUntilTheReceiveEnds() throws Exception {
        NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_GENERIC,
                new NetlinkSocket.Options(Duration.ofMillis(500), 1 << 16));
        String descriptor = socketLink(socket.portId());
        assertTrue(openDescriptors().contains(descriptor));
        CompletableFuture<Integer> receive = CompletableFuture.supplyAsync(
                () -> socket.receive(new byte[NetlinkConnection.RECEIVE_BUFFER_BYTES]));
        while (socket.receiveCalls() == 0) {
            Thread.onSpinWait();
        }
        socket.close(); // returns at once: the receive still owns the descriptor
        assertTrue(openDescriptors().contains(descriptor), "number released while a receive used it");
        ExecutionException e = assertThrows(ExecutionException.class, receive::get);
        NetlinkException cause = assertInstanceOf(NetlinkException.class, e.getCause());
        assertEquals(Errno.EBADF, cause.errno());
        assertEquals("recvfrom: socket closed", cause.getMessage());
        assertFalse(openDescriptors().contains(descriptor), "descriptor closed once the receive ended");
    }

    /** "socket:[INODE]", what /proc/self/fd shows for the netlink socket bound to {@code portId}. */
    private static String socketLink(int portId) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/net/netlink"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 10 && f[2].equals(Integer.toUnsignedString(portId))) {
                return "socket:[" + f[9] + "]";
            }
        }
        throw new AssertionError("port " + portId + " not in /proc/self/net/netlink");
    }

    private static Set<String> openDescriptors() throws IOException {
        Set<String> links = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    links.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    // the directory's own descriptor, closed by now
                }
            }
        }
        return links;
    }

    @Test
    void missingNamespaceFileFailsWithItsPath() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> NetworkNamespace.callIn(
                java.nio.file.Path.of("/nonexistent/jipvs-netns"), () -> 1));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/nonexistent/jipvs-netns"), e.getMessage());
    }

    @Test
    void adoptsASocketCreatedElsewhereAndBindsIt() {
        int fd = Native.libc().socket(Netlink.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC,
                Netlink.NETLINK_GENERIC);
        assertTrue(fd >= 0);
        try (NetlinkSocket socket = NetlinkSocket.adopt(fd, Netlink.NETLINK_GENERIC, NetlinkSocket.Options.DEFAULT)) {
            assertTrue(socket.portId() != 0, "kernel-assigned port id");
            GenericNetlinkClient client = new GenericNetlinkClient(new NetlinkConnection(socket));
            assertEquals(GenericNetlink.GENL_ID_CTRL, client.family("nlctrl").id());
        }
    }

    @Test
    void refusesToAdoptAnythingButANetlinkSocketOfTheProtocolAndClosesIt() {
        int unix = Native.libc().socket(Native.AF_UNIX, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> NetlinkSocket.adopt(unix, Netlink.NETLINK_GENERIC, NetlinkSocket.Options.DEFAULT));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(-1, Native.libc().close(unix), "the refused descriptor is closed");
        int route = Native.libc().socket(Netlink.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC,
                Netlink.NETLINK_ROUTE);
        e = assertThrows(NetlinkException.class,
                () -> NetlinkSocket.adopt(route, Netlink.NETLINK_GENERIC, NetlinkSocket.Options.DEFAULT));
        assertEquals("adopt: not a netlink socket of protocol 16", e.getMessage());
    }

    @Test
    void aSocketsNamespaceIsTheOneItWasCreatedIn() throws Exception {
        int socket = Native.libc().socket(Netlink.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC,
                Netlink.NETLINK_GENERIC);
        try {
            int ns = NetworkNamespace.ofSocket(socket);
            try {
                assertEquals(NetworkNamespace.cookie(), (long) NetworkNamespace.callIn(ns, NetworkNamespace::cookie));
                assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                        Files.readSymbolicLink(Path.of("/proc/self/fd/" + ns)));
            } finally {
                Native.libc().close(ns);
            }
        } finally {
            Native.libc().close(socket);
        }
    }
}
