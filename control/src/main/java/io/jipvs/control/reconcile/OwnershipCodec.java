package io.jipvs.control.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.reconcile.Ownership.Drain;
import io.jipvs.control.reconcile.Ownership.OwnedRealServer;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** The ownership record as the JSON text kept in its state file; sorted, so equal records read alike. */
public final class OwnershipCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OwnershipCodec() {
    }

    /**
     * The record as text; null for an empty record (no file).
     *
     * @param o the record
     * @return JSON text ending in a newline, or null
     */
    public static String encode(Ownership o) {
        if (o.services().isEmpty() && o.realServers().isEmpty() && o.drains().isEmpty()) {
            return null;
        }
        ObjectNode root = JSON.createObjectNode();
        // Sorted by text, each text made once: records hold thousands of entries.
        Map<ServiceKey, String> names = new HashMap<>();
        Function<ServiceKey, String> name = k -> names.computeIfAbsent(k, ServiceKey::toString);
        ArrayNode services = root.putArray("services");
        o.services().stream().sorted(Comparator.comparing(name)).forEach(k -> services.add(key(k)));
        ArrayNode realServers = root.putArray("realServers");
        o.realServers().stream()
                .sorted(Comparator.comparing((OwnedRealServer r) -> name.apply(r.service()))
                        .thenComparing(r -> r.realServer().address().getAddress(), Arrays::compare)
                        .thenComparingInt(r -> r.realServer().port()))
                .forEach(r -> realServers.add(realServer(r.service(), r.realServer())));
        ArrayNode drains = root.putArray("drains");
        o.drains().stream()
                .sorted(Comparator.comparing((Drain d) -> name.apply(d.service()))
                        .thenComparing(d -> d.realServer().address().getAddress(), Arrays::compare)
                        .thenComparingInt(d -> d.realServer().port()))
                .forEach(d -> drains.add(realServer(d.service(), d.realServer()).put("deadline", d.deadline().toString())));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a record.
     *
     * @param text the file's text, or null for none
     * @return the record
     * @throws IllegalArgumentException when the text is not a record
     */
    public static Ownership decode(String text) {
        if (text == null || text.isBlank()) {
            return Ownership.EMPTY;
        }
        try {
            JsonNode root = JSON.readTree(text);
            Set<ServiceKey> services = new HashSet<>();
            for (JsonNode n : array(root, "services")) {
                services.add(key(n));
            }
            Set<OwnedRealServer> realServers = new HashSet<>();
            for (JsonNode n : array(root, "realServers")) {
                realServers.add(new OwnedRealServer(key(n.path("service")), realServerKey(n)));
            }
            Set<Drain> drains = new HashSet<>();
            for (JsonNode n : array(root, "drains")) {
                drains.add(new Drain(key(n.path("service")), realServerKey(n), Instant.parse(n.path("deadline").asText())));
            }
            return new Ownership(services, realServers, drains);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not an ownership record: " + e.getMessage(), e);
        }
    }

    private static Iterable<JsonNode> array(JsonNode root, String name) {
        JsonNode a = root.path(name);
        if (!a.isArray()) {
            throw new IllegalArgumentException("no array '" + name + "'");
        }
        return a;
    }

    private static ObjectNode key(ServiceKey k) {
        ObjectNode n = JSON.createObjectNode();
        n.put("family", k.family().name().toLowerCase(Locale.ROOT));
        if (k.fwmarkBased()) {
            n.put("fwmark", k.fwmark());
        } else {
            n.put("protocol", k.protocol().name().toLowerCase(Locale.ROOT));
            n.put("address", Addresses.ntop(k.address()));
            n.put("port", k.port());
        }
        return n;
    }

    private static ServiceKey key(JsonNode n) {
        AddressFamily family = AddressFamily.valueOf(n.path("family").asText().toUpperCase(Locale.ROOT));
        if (n.has("fwmark")) {
            return ServiceKey.ofFwmark(family, n.path("fwmark").asLong());
        }
        return ServiceKey.of(Protocol.valueOf(n.path("protocol").asText().toUpperCase(Locale.ROOT)),
                address(n.path("address").asText()), n.path("port").asInt());
    }

    /**
     * A real server of a service as the record writes it, for other records of serve's that name
     * real servers the same way.
     *
     * @param service the service
     * @param r       the real server
     * @return a new object node
     */
    public static ObjectNode realServer(ServiceKey service, RealServerKey r) {
        ObjectNode n = JSON.createObjectNode();
        n.set("service", key(service));
        n.put("address", Addresses.ntop(r.address()));
        n.put("port", r.port());
        return n;
    }

    private static RealServerKey realServerKey(JsonNode n) {
        return new RealServerKey(address(n.path("address").asText()), n.path("port").asInt());
    }

    /**
     * Reads what {@link #realServer(ServiceKey, RealServerKey)} wrote.
     *
     * @param n the node
     * @return the service and the real server
     * @throws IllegalArgumentException when the node is not one
     */
    public static Member member(JsonNode n) {
        return new Member(key(n.path("service")), realServerKey(n));
    }

    private static InetAddress address(String text) {
        InetAddress a = Addresses.literal(text);
        if (a == null) {
            throw new IllegalArgumentException("bad address " + text);
        }
        return a;
    }
}
