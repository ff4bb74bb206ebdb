package io.jipvs.netlink.internal.genl;

import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.Ack;
import io.jipvs.netlink.internal.AttributeReader;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.NetlinkConnection;
import io.jipvs.netlink.internal.NetlinkMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Generic netlink over one {@link NetlinkConnection}: family lookup through the nlctrl
 * controller (cached for the life of this client), request/ACK, dumps and batches.
 */
public final class GenericNetlinkClient implements AutoCloseable {
    private final NetlinkConnection connection;
    private final Map<String, GenlFamily> families = new ConcurrentHashMap<>();

    public GenericNetlinkClient(NetlinkConnection connection) {
        this.connection = connection;
    }

    public NetlinkConnection connection() {
        return connection;
    }

    /**
     * Resolves a family by name with CTRL_CMD_GETFAMILY. An unknown family fails with ENOENT.
     * The id is cached: it stays valid until the family's module is unloaded.
     */
    public GenlFamily family(String name) {
        GenlFamily cached = families.get(name);
        if (cached != null) {
            return cached;
        }
        GenlFamily resolved = resolve(name);
        families.put(name, resolved);
        return resolved;
    }

    /** Forgets a cached family id, e.g. after its module was reloaded. */
    public void forget(String name) {
        families.remove(name);
    }

    private GenlFamily resolve(String name) {
        String operation = "resolve generic netlink family " + name;
        byte[] attrs = new AttributeWriter().string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, name).toByteArray();
        List<NetlinkMessage> replies = connection.execute(GenericNetlink.GENL_ID_CTRL, 0,
                new GenlMessage(GenericNetlink.CTRL_CMD_GETFAMILY, 1, attrs).encode(), operation);
        for (NetlinkMessage m : replies) {
            GenlMessage g = GenlMessage.decode(m, operation);
            if (g.command() == GenericNetlink.CTRL_CMD_NEWFAMILY) {
                return parseFamily(g.attributes(), operation);
            }
        }
        throw NetlinkException.protocol(operation, "no CTRL_CMD_NEWFAMILY reply");
    }

    static GenlFamily parseFamily(byte[] attributes, String operation) {
        int id = -1;
        String familyName = null;
        int version = 0;
        int headerSize = 0;
        int maxAttribute = 0;
        Map<Integer, Integer> ops = new HashMap<>();
        AttributeReader r = AttributeReader.of(attributes);
        while (r.next()) {
            switch (r.type()) {
                case GenericNetlink.CTRL_ATTR_FAMILY_ID -> id = r.u16();
                case GenericNetlink.CTRL_ATTR_FAMILY_NAME -> familyName = r.string();
                case GenericNetlink.CTRL_ATTR_VERSION -> version = r.u32();
                case GenericNetlink.CTRL_ATTR_HDRSIZE -> headerSize = r.u32();
                case GenericNetlink.CTRL_ATTR_MAXATTR -> maxAttribute = r.u32();
                case GenericNetlink.CTRL_ATTR_OPS -> r.nested(list -> {
                    while (list.next()) {
                        int[] op = {-1, 0};
                        list.nested(entry -> {
                            while (entry.next()) {
                                switch (entry.type()) {
                                    case GenericNetlink.CTRL_ATTR_OP_ID -> op[0] = entry.u32();
                                    case GenericNetlink.CTRL_ATTR_OP_FLAGS -> op[1] = entry.u32();
                                    default -> {
                                    }
                                }
                            }
                        });
                        if (op[0] >= 0) {
                            ops.put(op[0], op[1]);
                        }
                    }
                });
                default -> {
                }
            }
        }
        r.check(operation);
        if (id < 0 || familyName == null) {
            throw NetlinkException.protocol(operation, "family reply without id or name");
        }
        return new GenlFamily(familyName, id, version, headerSize, maxAttribute, ops);
    }

    /** A request with NLM_F_ACK; returns the data replies (a "get" gets one). */
    public List<GenlMessage> execute(GenlFamily family, GenlMessage request, String operation) {
        return decodeAll(connection.execute(family.id(), 0, request.encode(), operation), operation);
    }

    /** A dump request; returns every message of the dump. */
    public List<GenlMessage> dump(GenlFamily family, GenlMessage request, String operation) {
        return decodeAll(connection.dump(family.id(), request.encode(), operation), operation);
    }

    /** Many requests with few system calls; one {@link Ack} per request, in order. */
    public List<Ack> batch(GenlFamily family, List<GenlMessage> requests, String operation) {
        List<NetlinkConnection.Request> raw = new ArrayList<>(requests.size());
        for (GenlMessage g : requests) {
            raw.add(new NetlinkConnection.Request(family.id(), 0, g.encode()));
        }
        return connection.batch(raw, operation);
    }

    private static List<GenlMessage> decodeAll(List<NetlinkMessage> messages, String operation) {
        List<GenlMessage> out = new ArrayList<>(messages.size());
        for (NetlinkMessage m : messages) {
            out.add(GenlMessage.decode(m, operation));
        }
        return out;
    }

    @Override
    public void close() {
        connection.close();
    }
}
