package io.jipvs.model;

import java.util.EnumSet;
import java.util.Set;

/**
 * Service flags a user can set (IP_VS_SVC_F_*). The kernel-internal HASHED bit (0x2) is not a
 * member: it is stripped from what the kernel reports, so desired and actual state compare equal.
 */
public enum ServiceFlag {
    /** Persistent service (ipvsadm -p). */
    PERSISTENT(0x1),
    /** One-packet scheduling (ipvsadm -o), for UDP. */
    ONE_PACKET(0x4),
    /** sh-fallback / mh-fallback / flag-1, depending on the scheduler. */
    SCHED1(0x8),
    /** sh-port / mh-port / flag-2, depending on the scheduler. */
    SCHED2(0x10),
    /** flag-3. */
    SCHED3(0x20);

    private final int bit;

    ServiceFlag(int bit) {
        this.bit = bit;
    }

    /**
     * The IP_VS_SVC_F_* bit.
     *
     * @return the bit
     */
    public int bit() {
        return bit;
    }

    /**
     * The kernel bit mask for a set of flags.
     *
     * @param flags the flags
     * @return their bits or-ed together
     */
    public static int toBits(Set<ServiceFlag> flags) {
        int bits = 0;
        for (ServiceFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }

    private static final ServiceFlag[] ALL = values(); // values() copies the array on every call

    /**
     * The flags present in a kernel bit mask; unknown and internal bits are dropped.
     *
     * @param bits the kernel's flags
     * @return a new mutable set
     */
    public static Set<ServiceFlag> fromBits(int bits) {
        EnumSet<ServiceFlag> set = EnumSet.noneOf(ServiceFlag.class);
        for (ServiceFlag f : ALL) {
            if ((bits & f.bit) != 0) {
                set.add(f);
            }
        }
        return set;
    }
}
