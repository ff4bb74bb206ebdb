package io.jipvs.it.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh network namespace for one test class. IPVS state (services, timeouts, daemons) is per
 * namespace, so every class starts from an empty table and never touches the host's own.
 */
public final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    public static Netns create() {
        String name = "jipvs-it-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Exec.run("ip", "netns", "add", name).orThrow();
        Netns ns = new Netns(name);
        // Real servers are rejected as "not unicast" until the namespace has local routes.
        ns.run("ip", "link", "set", "lo", "up").orThrow();
        return ns;
    }

    public String name() {
        return name;
    }

    public Path path() {
        return Path.of("/run/netns", name);
    }

    /** Runs a command inside this namespace; a non-zero exit is returned, not thrown. */
    public Exec.Result run(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return Exec.run(full);
    }

    /** The real ipvsadm in this namespace: the oracle jipvs is compared against. */
    public Exec.Result ipvsadm(String... args) {
        List<String> full = new ArrayList<>(List.of("ipvsadm"));
        full.addAll(List.of(args));
        return run(full.toArray(String[]::new));
    }

    @Override
    public void close() {
        Exec.run("ip", "netns", "del", name);
    }
}
