package io.jipvs.control.host;

import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Rtnetlink;
import io.jipvs.netlink.sysctl.Sysctl;
import java.util.Optional;

/** One change to the host. Plans are lists of these; {@link Applier} carries them out. */
public sealed interface Step {

    /**
     * What the step does, in the words an operator would use.
     *
     * @return e.g. "add address 10.0.0.100/32 dev lo scope host"
     */
    String describe();

    /**
     * Sets a sysctl. {@code from} is the value observed when planning, or null when the entry
     * does not exist yet (a device the same plan creates).
     */
    record SetSysctl(String key, Integer from, int to) implements Step {
        @Override
        public String describe() {
            return "set " + Sysctl.dotted(key) + " = " + to + (from == null ? "" : " (was " + from + ")");
        }
    }

    /** Creates a link; for tunl0 this is how the ipip module gets loaded when it is not. */
    record CreateLink(String device, String kind) implements Step {
        @Override
        public String describe() {
            return "create link " + device + " (type " + kind + ")";
        }
    }

    /**
     * Sets a link up or down.
     *
     * @param device the link
     * @param up     true for up
     */
    record SetLinkUp(String device, boolean up) implements Step {
        @Override
        public String describe() {
            return "set link " + device + (up ? " up" : " down");
        }
    }

    /**
     * Deletes a link.
     *
     * @param device the link
     */
    record DeleteLink(String device) implements Step {
        @Override
        public String describe() {
            return "delete link " + device;
        }
    }

    /** Adds an address; its ifindex is resolved from the device name when applied. */
    record AddAddress(String device, InterfaceAddress address) implements Step {
        @Override
        public String describe() {
            return "add address " + address.cidr() + " dev " + device + details(address);
        }
    }

    /**
     * Deletes an address.
     *
     * @param device  the link
     * @param address the address
     */
    record DeleteAddress(String device, InterfaceAddress address) implements Step {
        @Override
        public String describe() {
            return "delete address " + address.cidr() + " dev " + device;
        }
    }

    /**
     * Gives a FULLNAT service its source NAT rule in jipvs's nftables table, replaces it, or
     * removes it (one nft transaction).
     *
     * @param service the service
     * @param from    its rule when planning, or empty
     * @param to      its rule after, or empty
     */
    record SetSnat(ServiceKey service, Optional<Snat> from, Optional<Snat> to) implements Step {
        @Override
        public String describe() {
            String chain = SnatTable.TABLE + " " + SnatTable.CHAIN;
            if (to.isEmpty()) {
                return "nft delete rule " + chain + " (" + from.map(Snat::comment).orElse("") + ")";
            }
            return "nft " + (from.isPresent() ? "replace" : "add") + " rule " + chain + " " + to.get().rule();
        }
    }

    private static String details(InterfaceAddress a) {
        String s = a.scope() == Rtnetlink.RT_SCOPE_HOST ? " scope host" : "";
        return (a.flags() & Rtnetlink.IFA_F_NODAD) != 0 ? s + " nodad" : s;
    }
}
