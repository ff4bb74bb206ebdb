package io.jipvs.control.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jipvs.control.desired.Member;
import io.jipvs.control.host.StateStore;
import io.jipvs.control.reconcile.OwnershipCodec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The runtime weights an operator set, kept in serve's state directory beside the ownership
 * record (same checks: root's, 0600, never through a link): a serve restarted during maintenance
 * must not put back a server that was drained. {@code /run} empties at boot, and so do they.
 */
final class Overrides {
    static final String ROLE = "overrides";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Overrides() {
    }

    /** The overrides recorded for the calling thread's namespace; none without a record. */
    static Map<Member, Integer> load(Path stateDir) {
        try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
            String text = store.loadText();
            if (text == null) {
                return Map.of();
            }
            try {
                Map<Member, Integer> out = new HashMap<>();
                for (JsonNode n : JSON.readTree(text).path("overrides")) {
                    int weight = n.path("weight").asInt(-1);
                    if (weight < 0) {
                        throw new IllegalArgumentException("no weight in " + n);
                    }
                    out.put(OwnershipCodec.member(n), weight);
                }
                return Map.copyOf(out);
            } catch (JsonProcessingException | RuntimeException e) {
                throw store.damaged(new IllegalArgumentException(e.getMessage(), e));
            }
        }
    }

    /** Records them; none removes the record. */
    static void save(Path stateDir, Map<Member, Integer> overrides) {
        try (StateStore store = StateStore.openLocked(stateDir, ROLE)) {
            if (overrides.isEmpty()) {
                store.saveText(null);
                return;
            }
            ObjectNode root = JSON.createObjectNode();
            ArrayNode list = root.putArray("overrides");
            overrides.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Member::toString)))
                    .forEach(e -> list.add(OwnershipCodec.realServer(e.getKey().service(), e.getKey().realServer())
                            .put("weight", e.getValue())));
            try {
                store.saveText(JSON.writeValueAsString(root) + "\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
