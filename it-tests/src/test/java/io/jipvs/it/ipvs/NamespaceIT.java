package io.jipvs.it.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.it.lab.Netns;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client opened on a namespace file acts on that namespace only, from any thread. */
class NamespaceIT {

    private static ServiceKey key(String ip) throws Exception {
        return ServiceKey.of(Protocol.TCP, InetAddress.getByName(ip), 80);
    }

    @Test
    void clientProgramsOnlyItsOwnNamespace() throws Exception {
        try (Netns a = Netns.create(); Netns b = Netns.create();
             IpvsClient inA = IpvsClient.open(a.path()); IpvsClient inB = IpvsClient.open(b.path())) {
            inA.addService(Service.builder(key("10.60.0.1")).scheduler("rr").build());
            assertEquals("-A -t 10.60.0.1:80 -s rr\n", a.ipvsadm("-Sn").orThrow().stdout());
            assertEquals("", b.ipvsadm("-Sn").orThrow().stdout());
            assertEquals(List.of(), inB.services());
            assertEquals(1, inA.services().size());
        }
    }

    @Test
    void socketKeepsItsNamespaceWhenUsedFromOtherThreads() throws Exception {
        try (Netns ns = Netns.create(); IpvsClient client = IpvsClient.open(ns.path())) {
            Service service = Service.builder(key("10.61.0.1")).build();
            Thread t = new Thread(() -> client.addService(service));
            t.start();
            t.join();
            assertEquals("-A -t 10.61.0.1:80 -s wlc\n", ns.ipvsadm("-Sn").orThrow().stdout());
        }
    }

    @Test
    void namespaceOfAProcessById() throws Exception {
        try (Netns ns = Netns.create()) {
            // ip netns exec execs the command, so the sleeping process lives in the namespace.
            Process sleeper = new ProcessBuilder("ip", "netns", "exec", ns.name(), "sleep", "60").start();
            try {
                Path nsFile = Path.of("/proc", Long.toString(sleeper.pid()), "ns", "net");
                waitForNamespaceSwitch(nsFile, ns.path());
                try (IpvsClient client = IpvsClient.open(nsFile)) {
                    client.addService(Service.builder(key("10.62.0.1")).scheduler("sh").build());
                }
                assertEquals("-A -t 10.62.0.1:80 -s sh\n", ns.ipvsadm("-Sn").orThrow().stdout());
            } finally {
                sleeper.destroy();
                sleeper.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCookieNamesOneNamespaceForItsLifeAndIsNeverReused() throws Exception {
        long here = NetworkNamespace.cookie();
        long first;
        try (Netns ns = Netns.create()) {
            first = NetworkNamespace.cookie(ns.path());
            assertEquals(first, NetworkNamespace.cookie(ns.path()), "the same namespace, the same cookie");
            assertNotEquals(here, first);
        }
        // A namespace made after the first one is gone may get its inode number, never its cookie.
        try (Netns again = Netns.create()) {
            assertNotEquals(first, NetworkNamespace.cookie(again.path()));
        }
        assertEquals(here, NetworkNamespace.cookie());
    }

    /** Until ip has called setns and exec'd, the child is still in our namespace. */
    private static void waitForNamespaceSwitch(Path processNs, Path target) throws Exception {
        Object targetKey = java.nio.file.Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
        for (int i = 0; i < 100; i++) {
            Object now = java.nio.file.Files.readAttributes(processNs,
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (targetKey.equals(now)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("process never entered " + target);
    }

    @Test
    void missingNamespaceFileIsAClearError() {
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> IpvsClient.open(Path.of("/run/netns/jipvs-it-does-not-exist")));
        assertEquals("open /run/netns/jipvs-it-does-not-exist: No such file or directory", e.getMessage());
    }
}
