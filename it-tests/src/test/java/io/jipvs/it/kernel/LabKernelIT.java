package io.jipvs.it.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.it.lab.Netns;
import io.jipvs.it.lab.ProcIpvs;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the kernel provider before any jipvs code is involved: the real ipvsadm programs the
 * kernel, and the kernel's own /proc view shows exactly that.
 */
class LabKernelIT {
    private static Netns ns;

    @BeforeAll
    static void freshNamespace() {
        ns = Netns.create();
    }

    @AfterAll
    static void cleanUp() {
        ns.close();
    }

    @Test
    void kernelHasIpvsAndStartsEmpty() {
        String version = ns.ipvsadm("-Ln").orThrow().stdout();
        assertTrue(version.startsWith("IP Virtual Server version 1.2.1"), version);
        assertEquals(List.of(), ProcIpvs.read(ns));
    }

    @Test
    void serviceAndRealServerAddedByIpvsadmAreInTheKernelTable() {
        ns.ipvsadm("-A", "-t", "10.1.1.1:80", "-s", "wrr").orThrow();
        ns.ipvsadm("-a", "-t", "10.1.1.1:80", "-r", "10.1.1.2:80", "-g", "-w", "3").orThrow();
        try {
            List<ProcIpvs.Service> table = ProcIpvs.read(ns);
            assertEquals(1, table.size(), table.toString());
            ProcIpvs.Service svc = table.get(0);
            assertEquals("TCP", svc.protocol());
            assertEquals("0A010101:0050", svc.address()); // 10.1.1.1:80 as the kernel prints it
            assertEquals("wrr", svc.scheduler());
            assertEquals(List.of(new ProcIpvs.Dest("0A010102:0050", "Route", 3)), svc.dests());
        } finally {
            ns.ipvsadm("-C").orThrow();
        }
    }

    @Test
    void eachNamespaceHasItsOwnTable() {
        ns.ipvsadm("-A", "-u", "10.2.2.2:53", "-s", "rr").orThrow();
        try (Netns other = Netns.create()) {
            assertEquals(List.of(), ProcIpvs.read(other));
            assertEquals(1, ProcIpvs.read(ns).size());
        } finally {
            ns.ipvsadm("-C").orThrow();
        }
    }

    @Test
    void ipvsadmReportsKernelErrors() {
        // The kernel refuses a real server for a service that does not exist.
        var r = ns.ipvsadm("-a", "-t", "10.9.9.9:80", "-r", "10.9.9.10:80");
        assertEquals(255, r.exitCode());
        assertEquals("Service not defined\n", r.stderr());
    }
}
