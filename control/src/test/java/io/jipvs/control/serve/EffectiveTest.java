package io.jipvs.control.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.health.HealthState;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ServiceKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EffectiveTest {
    static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    static Supervised file(String service, String... realServers) {
        StringBuilder b = new StringBuilder("services:\n  - protocol: tcp\n    address: 192.0.2.10\n    port: 80\n"
                + "    forwarding: nat\n    check: { type: tcp }\n" + service + "    realServers:\n");
        for (String r : realServers) {
            b.append("      - ").append(r).append('\n');
        }
        return ConfigReader.readSupervised("t.yaml", b.toString().getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML);
    }

    static Member m(Supervised f, String address) {
        return new Member(f.state().services().get(0).key(), new RealServerKey(Addresses.literal(address), 80));
    }

    static HealthState.Snapshot down(Instant since) {
        return new HealthState.Snapshot(HealthState.Status.DOWN, 2, 0, null, since, OptionalInt.empty());
    }

    static Map<String, Integer> weights(Effective e) {
        Map<String, Integer> out = new HashMap<>();
        for (Destination d : e.state().services().get(0).realServers()) {
            out.put(Addresses.ntop(d.address()), d.weight());
        }
        return out;
    }

    @Test
    void aFailedServerIsWithdrawnOrHeldAtWeightZeroWithInhibit() {
        Supervised f = file("", "{ address: 10.0.0.1, weight: 3 }", "{ address: 10.0.0.2, inhibitOnFailure: true }",
                "{ address: 10.0.0.3 }");
        Effective e = Effective.of(f, Map.of(m(f, "10.0.0.1"), down(T), m(f, "10.0.0.2"), down(T)), Map.of(), Map.of(), T);
        assertEquals(Map.of("10.0.0.2", 0, "10.0.0.3", 1), weights(e));
        assertEquals(java.util.Set.of(m(f, "10.0.0.1")), e.withdrawn());
        assertTrue(e.quorum().values().iterator().next());
    }

    @Test
    void anOverrideReplacesTheConfiguredWeightWhileHealthStillDecidesWhetherTheServerIsIn() {
        Supervised f = file("    quorum: 3\n", "{ address: 10.0.0.1, weight: 3 }", "{ address: 10.0.0.2, weight: 2 }",
                "{ address: 10.0.0.3 }");
        Map<Member, Integer> overrides = Map.of(m(f, "10.0.0.1"), 0, m(f, "10.0.0.2"), 5, m(f, "10.0.0.3"), 4);
        Effective e = Effective.of(f, Map.of(m(f, "10.0.0.3"), down(T)), overrides, Map.of(), Map.of(), T);
        assertEquals(Map.of("10.0.0.1", 0, "10.0.0.2", 5), weights(e), "drained at 0, weighted at 5, failed stays out");
        assertEquals(java.util.Set.of(m(f, "10.0.0.3")), e.withdrawn());
        assertTrue(e.quorum().values().iterator().next(), "the quorum counts overridden weights: 0 + 5 >= 3");
        Effective drained = Effective.of(f, Map.of(m(f, "10.0.0.3"), down(T)), Map.of(m(f, "10.0.0.1"), 0,
                m(f, "10.0.0.2"), 0), Map.of(), Map.of(), T);
        assertFalse(drained.quorum().values().iterator().next(), "draining every healthy server loses the quorum");
    }

    @Test
    void anOverrideAppliesToAServiceWithoutChecksToo() {
        Supervised f = ConfigReader.readSupervised("t.yaml", """
                services:
                  - protocol: tcp
                    address: 192.0.2.10
                    port: 80
                    realServers:
                      - { address: 10.0.0.1, weight: 3 }
                """.getBytes(StandardCharsets.UTF_8), ConfigFormat.YAML);
        Effective e = Effective.of(f, Map.of(), Map.of(m(f, "10.0.0.1"), 0), Map.of(), Map.of(), T);
        assertEquals(Map.of("10.0.0.1", 0), weights(e));
    }

    @Test
    void losingQuorumPutsTheSorryServerInPlaceOfEveryRealServer() {
        Supervised f = file("    quorum: 2\n    sorryServer: { address: 10.0.0.9 }\n", "{ address: 10.0.0.1 }",
                "{ address: 10.0.0.2 }");
        Effective lost = Effective.of(f, Map.of(m(f, "10.0.0.1"), down(T)), Map.of(), Map.of(), T);
        assertEquals(Map.of("10.0.0.9", 1), weights(lost));
        assertTrue(lost.withdrawn().containsAll(List.of(m(f, "10.0.0.1"), m(f, "10.0.0.2"))));
        ServiceKey key = f.state().services().get(0).key();
        assertFalse(lost.quorum().get(key));
        Effective back = Effective.of(f, Map.of(), Map.of(), lost.quorum(), T);
        assertEquals(Map.of("10.0.0.1", 1, "10.0.0.2", 1), weights(back));
        assertTrue(back.withdrawn().contains(m(f, "10.0.0.9")), "the sorry server leaves at once");
    }

    @Test
    void hysteresisDampsTheQuorum() {
        Supervised f = file("    quorum: 2\n    hysteresis: 1\n", "{ address: 10.0.0.1 }", "{ address: 10.0.0.2 }",
                "{ address: 10.0.0.3 }");
        ServiceKey key = f.state().services().get(0).key();
        Map<Member, HealthState.Snapshot> oneDown = Map.of(m(f, "10.0.0.1"), down(T));
        assertTrue(Effective.of(f, oneDown, Map.of(), Map.of(key, true), T).quorum().get(key), "2 >= 2 - 1: kept");
        assertFalse(Effective.of(f, oneDown, Map.of(), Map.of(key, false), T).quorum().get(key), "2 < 2 + 1: not regained");
    }

    @Test
    void theDepoolThresholdKeepsTheLatestFailuresIn() {
        Supervised f = file("    depoolThreshold: 0.5\n", "{ address: 10.0.0.1 }", "{ address: 10.0.0.2 }",
                "{ address: 10.0.0.3 }", "{ address: 10.0.0.4 }");
        Effective e = Effective.of(f, Map.of(m(f, "10.0.0.1"), down(T), m(f, "10.0.0.2"), down(T.plusSeconds(1)),
                m(f, "10.0.0.3"), down(T.plusSeconds(2))), Map.of(), Map.of(), T);
        assertEquals(java.util.Set.of(m(f, "10.0.0.1"), m(f, "10.0.0.2")), e.withdrawn());
        assertEquals(java.util.Set.of(m(f, "10.0.0.3")), e.held());
        assertEquals(Map.of("10.0.0.3", 1, "10.0.0.4", 1), weights(e));
    }

    @Test
    void slowStartRampsTheWeightAfterAReturn() {
        Supervised f = file("    slowStart: 10s\n", "{ address: 10.0.0.1, weight: 10 }");
        Map<Member, Instant> back = Map.of(m(f, "10.0.0.1"), T);
        assertEquals(Map.of("10.0.0.1", 1), weights(Effective.of(f, Map.of(), back, Map.of(), T)));
        Effective mid = Effective.of(f, Map.of(), back, Map.of(), T.plusSeconds(5));
        assertEquals(Map.of("10.0.0.1", 5), weights(mid));
        assertTrue(mid.ramping());
        Effective done = Effective.of(f, Map.of(), back, Map.of(), T.plusSeconds(10));
        assertEquals(Map.of("10.0.0.1", 10), weights(done));
        assertFalse(done.ramping());
    }
}
