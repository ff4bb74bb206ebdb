package io.jipvs.control.host;

import io.jipvs.netlink.route.InterfaceAddress;
import io.jipvs.netlink.route.Link;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A snapshot of what matters on this host: links, addresses, and the sysctl values read (absent
 * keys are entries that do not exist, e.g. conf/tunl0 before tunl0 exists). Plans and checks are
 * pure functions of this, so they are unit-tested without a kernel.
 */
public record Observed(List<Link> links, List<InterfaceAddress> addresses, Map<String, Integer> sysctls) {

    /**
     * Copies the values.
     *
     * @param links     every link
     * @param addresses every address
     * @param sysctls   the values read, by key
     */
    public Observed {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        sysctls = Map.copyOf(sysctls);
    }

    /**
     * The link called {@code name}.
     *
     * @param name the name
     * @return the link, or empty
     */
    public Optional<Link> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * The name of the link with an ifindex.
     *
     * @param index the ifindex
     * @return its name, or "ifINDEX" when there is no such link
     */
    public String linkName(int index) {
        return links.stream().filter(l -> l.index() == index).map(Link::name).findFirst().orElse("if" + index);
    }

    /**
     * Every place the address is configured (normally none or one).
     *
     * @param address the address
     * @return its entries
     */
    public List<InterfaceAddress> find(InetAddress address) {
        return addresses.stream().filter(a -> a.address().equals(address)).toList();
    }

    /**
     * A sysctl value read.
     *
     * @param key e.g. net/ipv4/ip_forward
     * @return the value, or empty when the entry does not exist
     */
    public OptionalInt sysctl(String key) {
        Integer v = sysctls.get(key);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
