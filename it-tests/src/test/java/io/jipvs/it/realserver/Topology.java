package io.jipvs.it.realserver;

import io.jipvs.it.lab.Exec;
import io.jipvs.netlink.NetworkNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Several network namespaces wired with veth pairs and bridges, for traffic through IPVS: a
 * client, a director, real servers. Built with ip(8) (test scaffolding, not the code under
 * test); every namespace is deleted on close, which also removes its links.
 */
final class Topology implements AutoCloseable {
    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();

    Topology(String tag) {
        // Short: namespace names appear in interface-free places only, but keep them readable.
        this.prefix = "j" + tag + ProcessHandle.current().pid() % 100000 + "-";
    }

    /** Creates a namespace for {@code role} with lo up, and returns its name. */
    String namespace(String role) {
        String name = prefix + role;
        ip("netns", "add", name);
        namespaces.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** Deletes a namespace made by {@link #namespace} before the others. */
    void delete(String ns) {
        ip("netns", "del", ns);
        namespaces.remove(ns);
    }

    static Path path(String ns) {
        return Path.of("/run/netns", ns);
    }

    /** A veth pair: {@code ifA} in {@code nsA}, {@code ifB} in {@code nsB}, both up. */
    void veth(String nsA, String ifA, String nsB, String ifB) {
        ip("link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        ip("-n", nsA, "link", "set", ifA, "up");
        ip("-n", nsB, "link", "set", ifB, "up");
    }

    /** A bridge named {@code br} in {@code ns}, up, enslaving {@code ports}. */
    void bridge(String ns, String br, String... ports) {
        ip("-n", ns, "link", "add", br, "type", "bridge");
        for (String p : ports) {
            ip("-n", ns, "link", "set", p, "master", br);
        }
        ip("-n", ns, "link", "set", br, "up");
    }

    /** A namespace holding bridge br0, up: the switch {@link #onSwitch} plugs namespaces into. */
    String newSwitch(String role) {
        String sw = namespace(role);
        ip("-n", sw, "link", "add", "br0", "type", "bridge");
        ip("-n", sw, "link", "set", "br0", "up");
        return sw;
    }

    /**
     * A namespace for {@code role} on a switch: its eth0 holds {@code address}/24 and is a veth
     * whose peer, p-ROLE, is a port of bridge br0 in {@code sw}.
     */
    String onSwitch(String sw, String role, String address) {
        String ns = namespace(role);
        ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "p-" + role, "netns", sw);
        ip("-n", sw, "link", "set", "p-" + role, "master", "br0", "up");
        ip("-n", ns, "link", "set", "eth0", "up");
        address(ns, "eth0", address + "/24");
        return ns;
    }

    void address(String ns, String dev, String cidr) {
        ip("-n", ns, "addr", "add", cidr, "dev", dev);
    }

    void defaultRoute(String ns, String via) {
        ip("-n", ns, "route", "add", "default", "via", via);
    }

    /** Runs {@code action} on a thread inside {@code ns}: sockets and /proc/sys opened there belong to it. */
    static <T> T in(String ns, Callable<T> action) {
        return NetworkNamespace.callIn(path(ns), action);
    }

    static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Exec.run(cmd).orThrow();
    }

    @Override
    public void close() {
        for (String ns : namespaces) {
            Exec.run("ip", "netns", "del", ns);
        }
    }
}
