package io.jipvs.model;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of a virtual service: its key plus everything the kernel stores for it.
 *
 * @param key               identity
 * @param scheduler         scheduler name ("rr", "wlc", ...; "none" = no scheduler)
 * @param flags             service flags, without the kernel-internal HASHED bit
 * @param timeout           persistence timeout in seconds (meaningful with {@link ServiceFlag#PERSISTENT})
 * @param netmask           persistence granularity: for IPv4 the mask as an unsigned 32-bit number,
 *                          most significant byte first (0xFFFFFF00 = 255.255.255.0; any bit pattern
 *                          is allowed, as ipvsadm allows it); for IPv6 the prefix length 1..128
 * @param persistenceEngine persistence engine name ("sip"), or null for none
 */
public record Service(ServiceKey key, String scheduler, Set<ServiceFlag> flags, long timeout, long netmask,
                      String persistenceEngine) {

    /** ipvsadm's default scheduler. */
    public static final String DEFAULT_SCHEDULER = "wlc";
    /** ipvsadm's default persistence timeout (6 minutes; the man page's 300 is wrong). */
    public static final long DEFAULT_PERSISTENT_TIMEOUT = 360;
    /** The kernel's scheduler/pe name limit (IP_VS_SCHEDNAME_MAXLEN 16 including the NUL). */
    public static final int NAME_MAX_LENGTH = 15;

    public Service {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
        checkName("scheduler", scheduler);
        // An EnumSet keeps a stable order, so JSON output is deterministic.
        flags = flags == null || flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        if (timeout < 0 || timeout > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timeout out of range: " + timeout);
        }
        if (key.family() == AddressFamily.INET6) {
            if (netmask < 1 || netmask > 128) {
                throw new IllegalArgumentException("IPv6 netmask must be a prefix length 1..128: " + netmask);
            }
        } else if (netmask < 0 || netmask > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("IPv4 netmask out of range: " + netmask);
        }
        if (persistenceEngine != null) {
            if (persistenceEngine.isEmpty()) {
                persistenceEngine = null;
            } else {
                checkName("persistence engine", persistenceEngine);
            }
        }
    }

    private static void checkName(String what, String name) {
        if (name.length() > NAME_MAX_LENGTH || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " name too long or malformed: " + name);
        }
    }

    /** The all-ones mask of the key's family: 255.255.255.255 or /128. */
    public static long fullNetmask(AddressFamily family) {
        return family == AddressFamily.INET6 ? 128 : 0xFFFF_FFFFL;
    }

    /** An IPv4 mask from a prefix length (24 -> 0xFFFFFF00). */
    public static long ipv4Netmask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
    }

    /** True when {@link ServiceFlag#PERSISTENT} is set. */
    public boolean persistent() {
        return flags.contains(ServiceFlag.PERSISTENT);
    }

    /** A builder with ipvsadm's defaults: wlc, not persistent, full netmask, no engine. */
    public static Builder builder(ServiceKey key) {
        return new Builder(key);
    }

    /** A builder pre-filled with this service. */
    public Builder toBuilder() {
        Builder b = new Builder(key);
        b.scheduler = scheduler;
        b.flags = flags.isEmpty() ? EnumSet.noneOf(ServiceFlag.class) : EnumSet.copyOf(flags);
        b.timeout = timeout;
        b.netmask = netmask;
        b.persistenceEngine = persistenceEngine;
        return b;
    }

    public static final class Builder {
        private final ServiceKey key;
        private String scheduler = DEFAULT_SCHEDULER;
        private EnumSet<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
        private long timeout;
        private long netmask;
        private String persistenceEngine;

        private Builder(ServiceKey key) {
            this.key = Objects.requireNonNull(key, "key");
            this.netmask = fullNetmask(key.family());
        }

        public Builder scheduler(String scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder flags(Set<ServiceFlag> flags) {
            this.flags = flags.isEmpty() ? EnumSet.noneOf(ServiceFlag.class) : EnumSet.copyOf(flags);
            return this;
        }

        public Builder flag(ServiceFlag flag) {
            flags.add(flag);
            return this;
        }

        /** Makes the service persistent with this timeout in seconds. */
        public Builder persistent(long timeoutSeconds) {
            flags.add(ServiceFlag.PERSISTENT);
            this.timeout = timeoutSeconds;
            return this;
        }

        public Builder timeout(long timeoutSeconds) {
            this.timeout = timeoutSeconds;
            return this;
        }

        public Builder netmask(long netmask) {
            this.netmask = netmask;
            return this;
        }

        public Builder persistenceEngine(String name) {
            this.persistenceEngine = name;
            return this;
        }

        public Service build() {
            return new Service(key, scheduler, flags, timeout, netmask, persistenceEngine);
        }
    }
}
