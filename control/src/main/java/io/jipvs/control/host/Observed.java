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

    public Observed {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        sysctls = Map.copyOf(sysctls);
    }

    public Optional<Link> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    public String linkName(int index) {
        return links.stream().filter(l -> l.index() == index).map(Link::name).findFirst().orElse("if" + index);
    }

    /** Every place the address is configured (normally none or one). */
    public List<InterfaceAddress> find(InetAddress address) {
        return addresses.stream().filter(a -> a.address().equals(address)).toList();
    }

    public OptionalInt sysctl(String key) {
        Integer v = sysctls.get(key);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
