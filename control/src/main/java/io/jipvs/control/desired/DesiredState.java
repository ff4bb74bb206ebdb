package io.jipvs.control.desired;

import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IPVS table jipvs is asked to hold in one network namespace.
 *
 * <p>What the file leaves out is not managed: a null {@code timeouts} leaves the kernel's timeouts
 * alone (and a 0 field in it keeps that one timeout, as {@code ipvsadm --set} does), a null
 * {@code syncDaemons} leaves the running sync daemons alone, and only the sysctls named are set.
 *
 * @param services    the services, in the file's order; at most one per key
 * @param timeouts    the connection timeouts, or null when not managed
 * @param syncDaemons the sync daemons that must run (none, a master, a backup or both), or null
 *                    when not managed
 * @param sysctls     IPVS sysctls by their name under net.ipv4.vs ("conntrack"), in the file's order
 */
public record DesiredState(List<DesiredService> services, Timeouts timeouts, List<SyncDaemon> syncDaemons,
                           Map<String, Integer> sysctls) {

    /** The sysctl FULLNAT needs on. */
    public static final String CONNTRACK = "conntrack";

    /** Nothing desired: no services, nothing else managed. */
    public static final DesiredState EMPTY = new DesiredState(List.of(), null, null, Map.of());

    /**
     * Copies the collections and checks that no two services share a key.
     *
     * @param services    the services
     * @param timeouts    the timeouts, or null
     * @param syncDaemons the sync daemons, or null
     * @param sysctls     the sysctls, null for none
     * @throws IllegalArgumentException when two services have the same key
     */
    public DesiredState {
        services = List.copyOf(services);
        syncDaemons = syncDaemons == null ? null : List.copyOf(syncDaemons);
        sysctls = sysctls == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        java.util.Set<ServiceKey> seen = new java.util.HashSet<>();
        for (DesiredService s : services) {
            if (!seen.add(s.key())) {
                throw new IllegalArgumentException("duplicate service " + s.key());
            }
        }
    }

    /**
     * The service with this key.
     *
     * @param key the key
     * @return the service, if desired
     */
    public Optional<DesiredService> service(ServiceKey key) {
        for (DesiredService s : services) {
            if (s.key().equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The names the file gives its services (unnamed ones are absent): the {@code service} label
     * of the metrics.
     *
     * @return names by key
     */
    public Map<ServiceKey, String> names() {
        Map<ServiceKey, String> names = new java.util.HashMap<>();
        for (DesiredService s : services) {
            if (s.name() != null) {
                names.put(s.key(), s.name());
            }
        }
        return names;
    }

    /**
     * The IPVS sysctls apply sets: those the file names, and {@code conntrack = 1} when a service
     * is FULLNAT (netfilter must track what IPVS forwards for the source NAT rule to see it).
     *
     * @return values by name under net.ipv4.vs
     */
    public Map<String, Integer> requiredSysctls() {
        if (services.stream().noneMatch(s -> s.snat() != null) || sysctls.containsKey(CONNTRACK)) {
            return sysctls;
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        out.put(CONNTRACK, 1);
        out.putAll(sysctls);
        return Collections.unmodifiableMap(out);
    }
}
