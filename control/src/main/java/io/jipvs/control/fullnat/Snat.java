package io.jipvs.control.fullnat;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The source NAT of one FULLNAT service: what IPVS forwards for it leaves with the director's
 * address on the outgoing interface ({@code masquerade}, an empty pool) or one of the pool's
 * addresses ({@code snat}, chosen at random per connection).
 *
 * <p>The rule matches the connections netfilter tracked to the service's VIP and port whose
 * packet no longer goes to the VIP: exactly what IPVS rewrote to a masquerading real server. Real
 * servers come and go without a rule change (so {@code jipvs -a ... -m}, keepalived or apply may
 * add them), and direct-routing (destination unchanged) and IP-in-IP or GRE tunnelled (another
 * protocol) packets of the same service never match.
 *
 * @param service the service: an address service, not a firewall mark (its VIP is what the rule matches)
 * @param pool    the SNAT addresses, of the service's family; empty to masquerade
 */
public record Snat(ServiceKey service, List<InetAddress> pool) {

    /**
     * Source ports the kernel's NAT uses for one source address towards one real-server address
     * and port (1024..65535 for clients' unprivileged ports): the concurrent connections one SNAT
     * address can carry to one real server.
     */
    public static final int PORTS_PER_ADDRESS = 65536 - 1024;

    private static final String TAG = "jipvs fullnat";

    /**
     * Copies the pool and checks it.
     *
     * @param service the service
     * @param pool    the SNAT addresses, or none
     * @throws IllegalArgumentException for a firewall-mark service, a pool address of the other
     *                                  family, or a duplicate pool address
     */
    public Snat {
        if (service.fwmarkBased()) {
            throw new IllegalArgumentException("fullnat needs an address service: the source NAT rule matches its"
                    + " VIP and port, which a firewall-mark service does not have");
        }
        pool = List.copyOf(pool);
        if (new HashSet<>(pool).size() != pool.size()) {
            throw new IllegalArgumentException("the SNAT address pool names an address twice");
        }
        for (InetAddress a : pool) {
            if ((a instanceof Inet6Address) != (service.family() == AddressFamily.INET6)) {
                throw new IllegalArgumentException("SNAT address " + Addresses.ntop(a) + " is not of the service's"
                        + " family (" + Addresses.ntop(service.address()) + ")");
            }
        }
    }

    /**
     * The service masquerading.
     *
     * @param service the service
     * @return the source NAT
     */
    public static Snat masquerade(ServiceKey service) {
        return new Snat(service, List.of());
    }

    /**
     * How many concurrent connections each real server of the service can take before the source
     * ports of the SNAT addresses run out (masquerade counts as one address).
     *
     * @return the limit
     */
    public long connectionsPerRealServer() {
        return (long) PORTS_PER_ADDRESS * Math.max(1, pool.size());
    }

    /**
     * The rule as nft(8) reads it (after {@code add rule inet jipvs postrouting}).
     *
     * @return e.g. {@code meta l4proto tcp ct original ip daddr 10.9.9.9 ct original proto-dst 80
     * ip daddr != 10.9.9.9 masquerade comment "jipvs fullnat tcp 10.9.9.9 80 masquerade"}
     */
    public String rule() {
        String ip = service.family() == AddressFamily.INET6 ? "ip6" : "ip";
        String vip = Addresses.ntop(service.address());
        // meta l4proto first: it tells nft how to read the port of ct original proto-dst.
        return "meta l4proto " + protocol() + " ct original " + ip + " daddr " + vip + " ct original proto-dst "
                + service.port() + " " + ip + " daddr != " + vip + " " + action() + " comment \"" + comment() + "\"";
    }

    private String action() {
        String ip = service.family() == AddressFamily.INET6 ? "ip6" : "ip";
        if (pool.isEmpty()) {
            return "masquerade";
        }
        if (pool.size() == 1) {
            return "snat " + ip + " to " + Addresses.ntop(pool.get(0));
        }
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            entries.add(i + " : " + Addresses.ntop(pool.get(i)));
        }
        return "snat " + ip + " to numgen random mod " + pool.size() + " map { " + String.join(", ", entries) + " }";
    }

    /**
     * The pool as people read it.
     *
     * @return e.g. "10.3.0.21,10.3.0.22"; empty for masquerade
     */
    public String poolText() {
        return String.join(",", pool.stream().map(Addresses::ntop).toList());
    }

    /**
     * The rule's comment: how jipvs reads the table back.
     *
     * @return e.g. "jipvs fullnat tcp 10.9.9.9 80 snat 10.3.0.10,10.3.0.11"
     */
    public String comment() {
        return TAG + " " + protocol() + " " + Addresses.ntop(service.address()) + " " + service.port() + " "
                + (pool.isEmpty() ? "masquerade" : "snat " + poolText());
    }

    /**
     * The source NAT a rule's comment describes.
     *
     * @param comment a rule's comment
     * @return the source NAT, or empty when the comment is not one jipvs writes
     */
    public static Optional<Snat> ofComment(String comment) {
        if (comment == null || !comment.startsWith(TAG + " ")) {
            return Optional.empty();
        }
        String[] w = comment.substring(TAG.length() + 1).split(" ");
        try {
            Optional<Protocol> p = switch (w[0]) {
                case "tcp" -> Optional.of(Protocol.TCP);
                case "udp" -> Optional.of(Protocol.UDP);
                case "sctp" -> Optional.of(Protocol.SCTP);
                default -> Optional.empty();
            };
            InetAddress vip = Addresses.literal(w[1]);
            if (p.isEmpty() || vip == null) {
                return Optional.empty();
            }
            ServiceKey key = ServiceKey.of(p.get(), vip, Integer.parseInt(w[2]));
            if (w.length == 4 && w[3].equals("masquerade")) {
                return Optional.of(masquerade(key));
            }
            if (w.length == 5 && w[3].equals("snat")) {
                List<InetAddress> pool = new ArrayList<>();
                for (String a : w[4].split(",")) {
                    InetAddress address = Addresses.literal(a);
                    if (address == null) {
                        return Optional.empty();
                    }
                    pool.add(address);
                }
                return Optional.of(new Snat(key, pool));
            }
            return Optional.empty();
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private String protocol() {
        return service.protocol().name().toLowerCase(Locale.ROOT);
    }
}
