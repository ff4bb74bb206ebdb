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

    /**
     * Checks the values and normalises them: flags become an unmodifiable ordered set, an empty
     * persistence engine name becomes null.
     *
     * @param key               identity
     * @param scheduler         scheduler name
     * @param flags             service flags, null = none
     * @param timeout           persistence timeout in seconds
     * @param netmask           persistence granularity (see the class description)
     * @param persistenceEngine persistence engine name, null or empty for none
     * @throws NullPointerException     without key or scheduler
     * @throws IllegalArgumentException for names over {@value #NAME_MAX_LENGTH} characters, or a
     *                                  timeout or netmask out of range for the key's family
     */
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

    /**
     * The all-ones mask of the key's family: 255.255.255.255 or /128.
     *
     * @param family the key's family
     * @return 0xFFFFFFFF or 128
     */
    public static long fullNetmask(AddressFamily family) {
        return family == AddressFamily.INET6 ? 128 : 0xFFFF_FFFFL;
    }

    /**
     * An IPv4 mask from a prefix length (24 -> 0xFFFFFF00).
     *
     * @param prefixLength 0..32
     * @return the mask as an unsigned 32-bit number
     */
    public static long ipv4Netmask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        return prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
    }

    /**
     * Whether {@link ServiceFlag#PERSISTENT} is set.
     *
     * @return true for a persistent service
     */
    public boolean persistent() {
        return flags.contains(ServiceFlag.PERSISTENT);
    }

    /**
     * A builder with ipvsadm's defaults: wlc, not persistent, full netmask, no engine.
     *
     * @param key the service's identity
     * @return a new builder
     */
    public static Builder builder(ServiceKey key) {
        return new Builder(key);
    }

    /**
     * A builder pre-filled with this service.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(key);
        b.scheduler = scheduler;
        b.flags = flags.isEmpty() ? EnumSet.noneOf(ServiceFlag.class) : EnumSet.copyOf(flags);
        b.timeout = timeout;
        b.netmask = netmask;
        b.persistenceEngine = persistenceEngine;
        return b;
    }

    /** Builds a {@link Service}; validation happens in {@link #build()}. */
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

        /**
         * Sets the scheduler.
         *
         * @param scheduler its name ("rr", "wlc", ...)
         * @return this builder
         */
        public Builder scheduler(String scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Replaces the flags.
         *
         * @param flags the new flags
         * @return this builder
         */
        public Builder flags(Set<ServiceFlag> flags) {
            this.flags = flags.isEmpty() ? EnumSet.noneOf(ServiceFlag.class) : EnumSet.copyOf(flags);
            return this;
        }

        /**
         * Adds a flag.
         *
         * @param flag the flag
         * @return this builder
         */
        public Builder flag(ServiceFlag flag) {
            flags.add(flag);
            return this;
        }

        /**
         * Makes the service persistent with this timeout in seconds.
         *
         * @param timeoutSeconds the persistence timeout
         * @return this builder
         */
        public Builder persistent(long timeoutSeconds) {
            flags.add(ServiceFlag.PERSISTENT);
            this.timeout = timeoutSeconds;
            return this;
        }

        /**
         * Sets the persistence timeout without changing the flags.
         *
         * @param timeoutSeconds the timeout in seconds
         * @return this builder
         */
        public Builder timeout(long timeoutSeconds) {
            this.timeout = timeoutSeconds;
            return this;
        }

        /**
         * Sets the persistence netmask (see {@link Service#netmask()}).
         *
         * @param netmask an IPv4 mask or an IPv6 prefix length
         * @return this builder
         */
        public Builder netmask(long netmask) {
            this.netmask = netmask;
            return this;
        }

        /**
         * Sets the persistence engine.
         *
         * @param name its name ("sip"), or null for none
         * @return this builder
         */
        public Builder persistenceEngine(String name) {
            this.persistenceEngine = name;
            return this;
        }

        /**
         * The service.
         *
         * @return a new service
         * @throws IllegalArgumentException when a value is out of range
         */
        public Service build() {
            return new Service(key, scheduler, flags, timeout, netmask, persistenceEngine);
        }
    }
}
