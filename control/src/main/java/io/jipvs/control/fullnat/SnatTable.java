package io.jipvs.control.fullnat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jipvs.model.ServiceKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * jipvs's nftables table as read back ({@code nft -j list table inet jipvs}), and the one
 * transaction that changes it: rules are replaced by handle, others' rules are never touched, and
 * the table goes when its last rule does.
 *
 * @param exists  whether the table is there at all
 * @param rules   jipvs's rules by service, each with its handle
 * @param foreign the handles of rules jipvs did not write (left alone, reported by status)
 */
public record SnatTable(boolean exists, Map<ServiceKey, Installed> rules, List<Long> foreign) {
    /** The table's family and name. */
    public static final String TABLE = "inet jipvs";
    /** The chain the rules live in: source NAT after routing. */
    public static final String CHAIN = "postrouting";
    /** No table. */
    public static final SnatTable ABSENT = new SnatTable(false, Map.of(), List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One of jipvs's rules and its handle.
     *
     * @param handle the kernel's handle of the rule
     * @param snat   what it does
     */
    public record Installed(long handle, Snat snat) {
    }

    /**
     * Copies.
     *
     * @param exists  whether the table is there
     * @param rules   jipvs's rules by service
     * @param foreign others' rules' handles
     */
    public SnatTable {
        rules = Map.copyOf(rules);
        foreign = List.copyOf(foreign);
    }

    /**
     * The rule of one service.
     *
     * @param service the service
     * @return its source NAT, or empty when it has none
     */
    public Optional<Snat> snat(ServiceKey service) {
        return Optional.ofNullable(rules.get(service)).map(Installed::snat);
    }

    /**
     * Reads nft's JSON listing of the table.
     *
     * @param json the output of {@code nft -j list table inet jipvs}
     * @return the table
     * @throws IllegalArgumentException when the text is not such a listing
     */
    public static SnatTable parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("nft printed no JSON listing: " + e.getMessage());
        }
        JsonNode items = root == null ? null : root.get("nftables");
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("nft printed no JSON listing");
        }
        Map<ServiceKey, Installed> rules = new LinkedHashMap<>();
        List<Long> foreign = new ArrayList<>();
        boolean exists = false;
        for (JsonNode item : items) {
            exists |= item.has("table");
            JsonNode rule = item.get("rule");
            if (rule == null) {
                continue;
            }
            long handle = rule.path("handle").asLong();
            Optional<Snat> snat = Snat.ofComment(rule.path("comment").asText(null));
            if (snat.isPresent() && CHAIN.equals(rule.path("chain").asText())
                    && !rules.containsKey(snat.get().service())) {
                rules.put(snat.get().service(), new Installed(handle, snat.get()));
            } else {
                foreign.add(handle);
            }
        }
        return new SnatTable(exists, rules, foreign);
    }

    /**
     * The nft script that gives each named service the source NAT it maps to (empty: none), in
     * one transaction, or empty when the table is already so.
     *
     * @param wanted the services to change, each to its source NAT or to none
     * @return the script for {@code nft -f -}
     */
    public Optional<String> change(Map<ServiceKey, Optional<Snat>> wanted) {
        StringBuilder script = new StringBuilder();
        int left = rules.size() + foreign.size();
        List<String> adds = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (Map.Entry<ServiceKey, Optional<Snat>> w : wanted.entrySet()) {
            Optional<Snat> now = snat(w.getKey());
            if (now.equals(w.getValue())) {
                continue;
            }
            if (now.isPresent()) {
                deletes.add("delete rule " + TABLE + " " + CHAIN + " handle " + rules.get(w.getKey()).handle());
                left--;
            }
            if (w.getValue().isPresent()) {
                adds.add("add rule " + TABLE + " " + CHAIN + " " + w.getValue().get().rule());
                left++;
            }
        }
        if (adds.isEmpty() && deletes.isEmpty()) {
            return Optional.empty();
        }
        if (left == 0) {
            // Nothing of anyone's left: the table goes, and with it the hook.
            return Optional.of("delete table " + TABLE + "\n");
        }
        // add is a no-op for what exists: the table and chain are made on first use.
        script.append("add table ").append(TABLE).append('\n');
        script.append("add chain ").append(TABLE).append(' ').append(CHAIN)
                .append(" { type nat hook postrouting priority srcnat; policy accept; }\n");
        deletes.forEach(d -> script.append(d).append('\n'));
        adds.forEach(a -> script.append(a).append('\n'));
        return Optional.of(script.toString());
    }
}
