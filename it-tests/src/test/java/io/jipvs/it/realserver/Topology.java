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
