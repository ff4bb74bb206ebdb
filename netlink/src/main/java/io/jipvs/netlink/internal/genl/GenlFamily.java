package io.jipvs.netlink.internal.genl;

import java.util.Map;

/**
 * A resolved generic-netlink family.
 *
 * @param id         the dynamic family id (nlmsg_type of its messages)
 * @param operations command id -> GENL_* capability flags, as the controller reports them
 */
public record GenlFamily(String name, int id, int version, int headerSize, int maxAttribute,
                         Map<Integer, Integer> operations) {

    public GenlFamily {
        operations = Map.copyOf(operations);
    }

    /** True if the family reports a dump handler for this command. */
    public boolean supportsDump(int command) {
        return (operations.getOrDefault(command, 0) & GenericNetlink.GENL_CMD_CAP_DUMP) != 0;
    }
}
