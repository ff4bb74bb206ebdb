package io.jipvs.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.DirectorRole;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.desired.SyncPair;
import io.jipvs.control.health.CheckSpec;
import io.jipvs.control.health.CheckType;
import io.jipvs.model.Addresses;
import io.jipvs.model.SyncState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** serve's keys: the issue's example reads as written, with keepalived-documented defaults. */
class ServeConfigTest {
    static final String EXAMPLE = """
            services:
              - name: web
                protocol: tcp
                address: 192.0.2.10
                port: 80
                check: { type: http, path: /health, expect: [200], interval: 1s, timeout: 1s, fall: 2, rise: 2 }
                quorum: 1
                hysteresis: 0
                sorryServer: { address: 10.0.0.99, port: 80 }
                realServers:
                  - { address: 10.0.0.11, weight: 3, inhibitOnFailure: true }
                  - { address: 10.0.0.12, check: { type: tcp, port: 8080 } }
            """;

    static Supervised read(String yaml) {
        return ConfigReader.readSupervised("f.yaml", yaml.getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML);
    }

    static Supervision.Policy policy(Supervised s, String address) {
        return s.supervision().get(s.state().services().get(0).key()).realServers()
                .get(new RealServerKey(Addresses.literal(address), 80));
    }

    @Test
    void theIssuesExampleReads() {
        Supervised s = read(EXAMPLE);
        Supervision sup = s.supervision().get(s.state().services().get(0).key());
        assertEquals(1, sup.quorum());
        assertEquals("10.0.0.99", Addresses.ntop(sup.sorryServer().address()));
        CheckSpec http = policy(s, "10.0.0.11").check();
        assertEquals(CheckType.HTTP, http.type());
        assertEquals("/health", http.http().path());
        assertEquals(Duration.ofSeconds(1), http.interval());
        assertEquals(2, http.rise());
        assertTrue(policy(s, "10.0.0.11").inhibitOnFailure());
        CheckSpec tcp = policy(s, "10.0.0.12").check();
        assertEquals(CheckType.TCP, tcp.type());
        assertEquals(8080, tcp.port());
        assertEquals(Duration.ofSeconds(1), tcp.interval(), "the service's timing carries over to another type");
        assertNull(tcp.http(), "but not its HTTP keys");
        assertEquals(Supervised.DEFAULT_REPAIR_INTERVAL, s.repairInterval());
    }

    @Test
    void defaults() {
        Supervised s = read("services:\n  - { protocol: tcp, address: 192.0.2.1, port: 80, check: { type: https },"
                + " realServers: [ { address: 10.0.0.1 } ] }\n");
        CheckSpec c = s.supervision().values().iterator().next().realServers().values().iterator().next().check();
        assertEquals(CheckSpec.DEFAULT_INTERVAL, c.interval());
        assertEquals(CheckSpec.DEFAULT_INTERVAL, c.warmup(), "the first checks spread over one interval");
        assertEquals(CheckSpec.DEFAULT_FALL, c.fall());
        assertEquals(List.of(new CheckSpec.StatusRange(200, 299)), c.http().expect());
        assertTrue(c.http().tlsVerify(), "TLS verification is on unless turned off");
    }

    @Test
    void badServeKeysAreReportedWithTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("""
                services:
                  - protocol: tcp
                    address: 192.0.2.1
                    port: 80
                    check: { type: htp }
                    depoolThreshold: 2
                    realServers:
                      - { address: 10.0.0.1, check: { type: http, expect: [700], digest: xyz } }
                """));
        List<String> lines = e.errors().stream().map(ConfigError::toString).toList();
        assertEquals(List.of(
                "f.yaml:5:20: services[0].check.type: must be one of tcp, http, https, udp, dns, exec",
                "f.yaml:6:22: services[0].depoolThreshold: must be a share from 0 to 1, such as 0.5",
                "f.yaml:8:60: services[0].realServers[0].check.expect[0]: must be a status code (100..599) or a range"
                        + " such as 200-299",
                "f.yaml:8:74: services[0].realServers[0].check.digest: must be an MD5 digest: 32 hex digits"), lines);
    }

    @Test
    void aSyncDaemonBlockRunsTheDaemonsTheRoleCallsFor() {
        Supervised s = read("""
                services: []
                syncDaemon: { interface: eth1, syncId: 51, group: 224.0.0.82, port: 8849, maxlen: 1400, ttl: 2, vip: 192.0.2.10 }
                """);
        SyncPair pair = new SyncPair("eth1", 51, 1400, Addresses.literal("224.0.0.82"), 8849, 2,
                Addresses.literal("192.0.2.10"));
        assertEquals(pair, s.syncPair());
        assertNull(s.state().syncDaemons(), "apply leaves the daemons alone: the role is serve's to know");
        assertEquals(List.of(pair.daemon(SyncState.MASTER), pair.daemon(SyncState.BACKUP)),
                s.stateFor(DirectorRole.MASTER).syncDaemons(), "a master also receives, for fail-back");
        assertEquals(List.of(pair.daemon(SyncState.BACKUP)), s.stateFor(DirectorRole.BACKUP).syncDaemons());
        assertEquals(List.of(pair.daemon(SyncState.BACKUP)), s.stateFor(DirectorRole.FAULT).syncDaemons());
    }

    @Test
    void aSyncDaemonBlockNeedsItsInterfaceAndExcludesAFixedList() {
        ConfigException e = assertThrows(ConfigException.class, () -> read("""
                syncDaemon: { syncId: 300, group: 10.0.0.1 }
                syncDaemons: []
                """));
        assertEquals(List.of(
                "f.yaml:1:1: syncDaemon: syncDaemon and syncDaemons exclude each other: syncDaemon runs the daemons"
                        + " the director's role calls for (jipvs ctl role), syncDaemons a fixed list"),
                e.errors().stream().map(ConfigError::toString).toList());
        ConfigException alone = assertThrows(ConfigException.class, () -> read("syncDaemon: { syncId: 300, group: 10.0.0.1 }\n"));
        assertEquals(List.of(
                "f.yaml:1:13: syncDaemon: missing key 'interface'",
                "f.yaml:1:23: syncDaemon.syncId: must be 0..255",
                "f.yaml:1:35: syncDaemon.group: must be a multicast address"),
                alone.errors().stream().map(ConfigError::toString).toList());
    }
}
