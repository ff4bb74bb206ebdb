package io.jipvs.it.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connection timeouts (GET/SET_CONFIG) and connection-sync daemons on the loopback interface. */
class TimeoutsAndDaemonsIT {
    @RegisterExtension
    static final OraclePair pair = new OraclePair();

    @AfterEach
    void restoreDefaults() {
        pair.jipvs().setTimeouts(new Timeouts(900, 120, 300));
        pair.reader().setTimeouts(new Timeouts(900, 120, 300));
        stopDaemons();
    }

    private static void stopDaemons() {
        for (SyncDaemon d : pair.jipvs().daemons()) {
            pair.jipvs().stopDaemon(d.state());
        }
        for (SyncDaemon d : pair.reader().daemons()) {
            pair.reader().stopDaemon(d.state());
        }
    }

    @Test
    void freshNamespaceHasTheKernelDefaultTimeouts() {
        try (io.jipvs.it.lab.Netns fresh = io.jipvs.it.lab.Netns.create();
             io.jipvs.netlink.ipvs.IpvsClient client = io.jipvs.netlink.ipvs.IpvsClient.open(fresh.path())) {
            assertEquals(new Timeouts(900, 120, 300), client.timeouts());
            assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", fresh.ipvsadm("-L", "--timeout").orThrow().stdout());
        }
    }

    @Test
    void setTimeoutsLikeIpvsadmSet() {
        pair.jipvs().setTimeouts(new Timeouts(1000, 130, 310));
        pair.ipvsadm("--set", "1000", "130", "310");
        assertEquals(pair.listingOfIpvsadm("-L", "--timeout"), pair.listingOfJipvs("-L", "--timeout"));
        assertEquals(new Timeouts(1000, 130, 310), pair.reader().timeouts());
    }

    @Test
    void zeroTimeoutKeepsTheCurrentValue() {
        pair.jipvs().setTimeouts(new Timeouts(700, 100, 200));
        pair.jipvs().setTimeouts(new Timeouts(0, 90, 0));
        assertEquals(new Timeouts(700, 90, 200), pair.jipvs().timeouts());
    }

    @Test
    void masterDaemonWithKernelDefaults() {
        pair.jipvs().startDaemon(SyncDaemon.of(SyncState.MASTER, "lo", 5));
        pair.ipvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "5");
        assertEquals(pair.listingOfIpvsadm("-L", "--daemon"), pair.listingOfJipvs("-L", "--daemon"));
        List<SyncDaemon> read = pair.reader().daemons();
        assertEquals(1, read.size());
        SyncDaemon d = read.get(0);
        assertEquals(SyncState.MASTER, d.state());
        assertEquals("lo", d.interfaceName());
        assertEquals(5, d.syncId());
        assertEquals(pair.jipvs().daemons(), read);
    }

    @Test
    void backupDaemonWithGroupPortTtlAndMaxlen() throws Exception {
        SyncDaemon backup = new SyncDaemon(SyncState.BACKUP, "lo", 9, 9000, InetAddress.getByName("239.1.2.3"), 9000,
                5);
        pair.jipvs().startDaemon(backup);
        pair.ipvsadm("--start-daemon", "backup", "--mcast-interface", "lo", "--syncid", "9", "--sync-maxlen", "9000",
                "--mcast-group", "239.1.2.3", "--mcast-port", "9000", "--mcast-ttl", "5");
        assertEquals(pair.listingOfIpvsadm("-L", "--daemon"), pair.listingOfJipvs("-L", "--daemon"));
        SyncDaemon read = pair.reader().daemons().get(0);
        assertEquals(InetAddress.getByName("239.1.2.3"), read.group());
        assertEquals(9000, read.port());
        assertEquals(5, read.ttl());
        assertEquals(9, read.syncId());
    }

    @Test
    void masterAndBackupTogetherThenStop() {
        pair.jipvs().startDaemon(SyncDaemon.of(SyncState.MASTER, "lo", 1));
        pair.jipvs().startDaemon(SyncDaemon.of(SyncState.BACKUP, "lo", 1));
        pair.ipvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "1");
        pair.ipvsadm("--start-daemon", "backup", "--mcast-interface", "lo", "--syncid", "1");
        assertEquals(pair.listingOfIpvsadm("-L", "--daemon"), pair.listingOfJipvs("-L", "--daemon"));
        assertEquals(2, pair.jipvs().daemons().size());
        pair.jipvs().stopDaemon(SyncState.MASTER);
        pair.ipvsadm("--stop-daemon", "master");
        assertEquals(pair.listingOfIpvsadm("-L", "--daemon"), pair.listingOfJipvs("-L", "--daemon"));
        assertEquals(List.of(SyncState.BACKUP), pair.jipvs().daemons().stream().map(SyncDaemon::state).toList());
    }

    @Test
    void daemonErrorsReadLikeIpvsadm() {
        IpvsException stopIdle = assertThrows(IpvsException.class, () -> pair.jipvs().stopDaemon(SyncState.MASTER));
        assertEquals("No daemon is running", IpvsadmErrors.text(stopIdle));
        assertEquals(IpvsadmErrors.text(stopIdle),
                pair.ipvsadmNs().ipvsadm("--stop-daemon", "master").stderr().trim());

        pair.jipvs().startDaemon(SyncDaemon.of(SyncState.MASTER, "lo", 2));
        pair.ipvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "2");
        IpvsException twice = assertThrows(IpvsException.class,
                () -> pair.jipvs().startDaemon(SyncDaemon.of(SyncState.MASTER, "lo", 2)));
        assertEquals("Daemon has already run", IpvsadmErrors.text(twice));
        assertEquals(IpvsadmErrors.text(twice), pair.ipvsadmNs()
                .ipvsadm("--start-daemon", "master", "--mcast-interface", "lo", "--syncid", "2").stderr().trim());

        IpvsException noDevice = assertThrows(IpvsException.class,
                () -> pair.jipvs().startDaemon(SyncDaemon.of(SyncState.BACKUP, "nosuchdev0", 2)));
        assertEquals("No such device", IpvsadmErrors.text(noDevice));
        assertEquals("start sync daemon: No such device", noDevice.getMessage());
    }
}
