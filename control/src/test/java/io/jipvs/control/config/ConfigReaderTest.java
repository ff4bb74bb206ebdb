package io.jipvs.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.model.Addresses;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The desired-state file: keys, defaults, durations, formats and the writer's round trip. */
class ConfigReaderTest {

    static DesiredState yaml(String text) {
        return ConfigReader.read("test.yaml", text, ConfigFormat.YAML);
    }

    @Test
    void leftOutKeysTakeIpvsadmsDefaults() {
        DesiredState s = yaml("""
                services:
                  - protocol: tcp
                    address: 192.0.2.10
                    port: 80
                    realServers:
                      - address: 10.0.0.11
                """);
        DesiredService web = s.services().get(0);
        assertNull(web.name());
        assertEquals(Service.builder(ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80)).build(),
                web.service(), "wlc, not persistent, full netmask");
        assertEquals(List.of(Destination.of(Addresses.literal("10.0.0.11"), 80)), web.realServers(),
                "dr, weight 1, the service's port");
        assertEquals(Duration.ofSeconds(30), web.effectiveDrainTimeout());
        assertNull(s.timeouts());
        assertNull(s.syncDaemons());
    }

    @Test
    void everyKeyIsRead() {
        DesiredState s = yaml("""
                services:
                  - name: web
                    protocol: udp
                    address: 192.0.2.10
                    port: 53
                    scheduler: sh
                    schedulerFlags: [sh-fallback, sh-port]
                    persistence: { timeout: 5m, netmask: 255.255.255.0 }
                    onePacket: true
                    persistenceEngine: sip
                    forwarding: nat
                    drainTimeout: 500ms
                    realServers:
                      - { address: 10.0.0.11, port: 5353, weight: 0, upperThreshold: 100, lowerThreshold: 50 }
                      - { address: "2001:db8::1", forwarding: tun, tunnel: { type: gue, port: 6080, checksum: remcsum } }
                timeouts: { tcp: 1h, tcpFin: 2m, udp: 45 }
                syncDaemons: [ { state: backup, interface: eth0, syncId: 9, maxlen: 1400, group: 224.0.0.82, port: 8849, ttl: 2 } ]
                sysctls: { conntrack: 1, expire_nodest_conn: 1 }
                """);
        DesiredService dns = s.services().get(0);
        assertEquals("web", dns.name());
        Service svc = dns.service();
        assertEquals("sh", svc.scheduler());
        assertEquals(java.util.EnumSet.of(ServiceFlag.PERSISTENT, ServiceFlag.ONE_PACKET, ServiceFlag.SCHED1,
                ServiceFlag.SCHED2), svc.flags());
        assertEquals(300, svc.timeout());
        assertEquals(0xFFFFFF00L, svc.netmask());
        assertEquals("sip", svc.persistenceEngine());
        assertEquals(Duration.ofMillis(500), dns.effectiveDrainTimeout());
        assertEquals(new Destination(Addresses.literal("10.0.0.11"), 5353, ForwardingMethod.MASQ, 0, 100, 50,
                TunnelType.IPIP, 0, TunnelChecksum.NOCSUM), dns.realServers().get(0));
        assertEquals(new Destination(Addresses.literal("2001:db8::1"), 53, ForwardingMethod.TUNNEL, 1, 0, 0,
                TunnelType.GUE, 6080, TunnelChecksum.REMCSUM), dns.realServers().get(1));
        assertEquals(new Timeouts(3600, 120, 45), s.timeouts());
        assertEquals(List.of(new SyncDaemon(SyncState.BACKUP, "eth0", 9, 1400, Addresses.literal("224.0.0.82"), 8849, 2)),
                s.syncDaemons());
        assertEquals(Map.of("conntrack", 1, "expire_nodest_conn", 1), s.sysctls());
    }

    @Test
    void udpDrainsAtOnceUnlessTheFileSaysOtherwise() {
        DesiredState s = yaml("services: [ { protocol: udp, address: 192.0.2.10, port: 53 } ]\n");
        assertEquals(Duration.ZERO, s.services().get(0).effectiveDrainTimeout());
    }

    @Test
    void jsonReadsTheSameKeys() {
        String json = "{\"services\":[{\"fwmark\":5,\"family\":\"inet6\",\"realServers\":[{\"address\":\"2001:db8::2\"}]}]}";
        DesiredState s = ConfigReader.read("t.json", json, ConfigFormat.JSON);
        assertEquals(ServiceKey.ofFwmark(AddressFamily.INET6, 5), s.services().get(0).key());
        assertEquals(s, yaml("services: [ { fwmark: 5, family: inet6, realServers: [ { address: \"2001:db8::2\" } ] } ]\n"));
    }

    @Test
    void theFormatIsDetectedByContent() {
        assertEquals(ConfigFormat.IPVSADM, ConfigFormat.detect("# rules\n\n-A -t 1.2.3.4:80 -s rr\n".getBytes()));
        assertEquals(ConfigFormat.IPVSADM, ConfigFormat.detect("--add-service -t 1.2.3.4:80\n".getBytes()));
        assertEquals(ConfigFormat.JSON, ConfigFormat.detect("  {\"services\": []}".getBytes()));
        assertEquals(ConfigFormat.YAML, ConfigFormat.detect("services:\n  - name: x\n".getBytes()));
        assertEquals(ConfigFormat.YAML, ConfigFormat.detect("- name: x\n".getBytes()));
        assertEquals(ConfigFormat.YAML, ConfigFormat.detect(new byte[0]));
        assertEquals(ConfigFormat.YAML, ConfigFormat.detect("---\nservices: []\n".getBytes()));
    }

    @Test
    void anEmptyFileWantsNoServices() {
        assertEquals(DesiredState.EMPTY, yaml(""));
    }

    @Test
    void whatTheWriterWritesReadsBackTheSame() {
        ServiceKey web = ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80);
        ServiceKey mark = ServiceKey.ofFwmark(AddressFamily.INET6, 7);
        DesiredState state = new DesiredState(List.of(
                new DesiredService("web", Service.builder(web).scheduler("mh").flag(ServiceFlag.SCHED2).persistent(120)
                        .netmask(0xFFFF0000L).build(), Duration.ofMinutes(2), List.of(
                        Destination.of(Addresses.literal("10.0.0.11"), 8080).withForwarding(ForwardingMethod.MASQ).withWeight(0),
                        Destination.of(Addresses.literal("10.0.0.12"), 80).withThresholds(10, 5))),
                new DesiredService(null, Service.builder(mark).scheduler("rr").flag(ServiceFlag.SCHED3).build(), null,
                        List.of(Destination.of(Addresses.literal("2001:db8::9"), 0)
                                .withTunnel(TunnelType.GRE, 0, TunnelChecksum.CSUM)))),
                new Timeouts(600, 120, 30), List.of(SyncDaemon.of(SyncState.MASTER, "eth1", 3)), Map.of("sloppy_tcp", 1));
        for (ConfigFormat f : List.of(ConfigFormat.YAML, ConfigFormat.JSON)) {
            DesiredState back = ConfigReader.read("w", ConfigWriter.write(state, f), f);
            // The kernel's default tcpfin (120) is left out, which reads back as "keep".
            assertEquals(new DesiredState(state.services(), new Timeouts(600, 0, 30), state.syncDaemons(), state.sysctls()),
                    back, f.toString());
        }
    }

    @Test
    void fullnatIsAServicesForwardingWithItsRealServersMasqueradingAndOptionalSnatAddresses() {
        DesiredState s = yaml("""
                services:
                  - protocol: tcp
                    address: 192.0.2.10
                    port: 80
                    forwarding: fullnat
                    snatAddresses: [10.3.0.21, 10.3.0.22]
                    realServers:
                      - address: 10.4.0.11
                      - { address: 10.4.0.12, forwarding: dr }
                """);
        DesiredService web = s.services().get(0);
        assertEquals(new Snat(web.key(), List.of(Addresses.literal("10.3.0.21"), Addresses.literal("10.3.0.22"))),
                web.snat());
        assertEquals(ForwardingMethod.MASQ, web.realServers().get(0).forwarding());
        assertEquals(ForwardingMethod.ROUTE, web.realServers().get(1).forwarding());
        assertEquals(Map.of("conntrack", 1), s.requiredSysctls(), "conntrack on, though the file does not say");
        for (ConfigFormat f : List.of(ConfigFormat.YAML, ConfigFormat.JSON)) {
            assertEquals(s, ConfigReader.read("w", ConfigWriter.write(s, f), f), f.toString());
        }
        assertTrue(ConfigWriter.write(s, ConfigFormat.YAML).contains("forwarding: fullnat\n"),
                ConfigWriter.write(s, ConfigFormat.YAML));
    }
}
