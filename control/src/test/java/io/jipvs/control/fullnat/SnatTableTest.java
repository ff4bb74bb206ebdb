package io.jipvs.control.fullnat;

import static io.jipvs.control.fullnat.SnatTest.DNS;
import static io.jipvs.control.fullnat.SnatTest.WEB;
import static io.jipvs.control.fullnat.SnatTest.WEB6;
import static io.jipvs.control.fullnat.SnatTest.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.ServiceKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnatTableTest {
    /** nft 1.0.6's `nft -j list table inet jipvs` for two jipvs rules and one added by hand. */
    static final String LISTING = """
            {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
             {"table": {"family": "inet", "name": "jipvs", "handle": 3}},
             {"chain": {"family": "inet", "table": "jipvs", "name": "postrouting", "handle": 1, "type": "nat",
               "hook": "postrouting", "prio": 100, "policy": "accept"}},
             {"rule": {"family": "inet", "table": "jipvs", "chain": "postrouting", "handle": 2,
               "comment": "jipvs fullnat tcp 10.9.9.9 80 masquerade", "expr": [{"masquerade": null}]}},
             {"rule": {"family": "inet", "table": "jipvs", "chain": "postrouting", "handle": 4,
               "comment": "jipvs fullnat tcp fd09::9 80 snat fd03::10,fd03::11", "expr": []}},
             {"rule": {"family": "inet", "table": "jipvs", "chain": "postrouting", "handle": 5, "expr": []}}]}
            """;

    @Test
    void aListingReadsAsJipvsRulesByServiceAndOthersByHandle() {
        SnatTable t = SnatTable.parse(LISTING);
        assertTrue(t.exists());
        assertEquals(Optional.of(Snat.masquerade(WEB)), t.snat(WEB));
        assertEquals(4, t.rules().get(WEB6).handle());
        assertEquals(List.of(5L), t.foreign());
        assertEquals(Optional.empty(), t.snat(DNS));
    }

    @Test
    void aChangeReplacesByHandleInOneTransactionAndLeavesOthersAlone() {
        Map<ServiceKey, Optional<Snat>> wanted = new LinkedHashMap<>();
        wanted.put(WEB, Optional.of(new Snat(WEB, List.of(ip("10.3.0.10")))));
        wanted.put(WEB6, Optional.empty());
        wanted.put(DNS, Optional.of(Snat.masquerade(DNS)));
        assertEquals("""
                add table inet jipvs
                add chain inet jipvs postrouting { type nat hook postrouting priority srcnat; policy accept; }
                delete rule inet jipvs postrouting handle 2
                delete rule inet jipvs postrouting handle 4
                add rule inet jipvs postrouting\s""" + new Snat(WEB, List.of(ip("10.3.0.10"))).rule() + """

                add rule inet jipvs postrouting\s""" + Snat.masquerade(DNS).rule() + "\n",
                SnatTable.parse(LISTING).change(wanted).orElseThrow());
    }

    @Test
    void whatIsAlreadySoIsNoTransaction() {
        assertEquals(Optional.empty(), SnatTable.parse(LISTING).change(Map.of(WEB, Optional.of(Snat.masquerade(WEB)),
                DNS, Optional.empty())));
    }

    @Test
    void theTableGoesWithItsLastRuleButNotWhileAnotherRuleIsThere() {
        SnatTable ours = new SnatTable(true, Map.of(WEB, new SnatTable.Installed(2, Snat.masquerade(WEB))), List.of());
        assertEquals(Optional.of("delete table inet jipvs\n"), ours.change(Map.of(WEB, Optional.empty())));
        SnatTable shared = new SnatTable(true, ours.rules(), List.of(9L));
        assertFalse(shared.change(Map.of(WEB, Optional.empty())).orElseThrow().contains("delete table"));
    }

    @Test
    void somethingElseThanAListingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SnatTable.parse("Error: nonsense"));
        assertThrows(IllegalArgumentException.class, () -> SnatTable.parse("{\"tables\": []}"));
    }
}
