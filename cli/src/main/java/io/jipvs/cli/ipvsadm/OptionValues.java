package io.jipvs.cli.ipvsadm;

import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Addresses;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.SyncState;
import io.jipvs.model.TunnelType;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;

/**
 * The values of ipvsadm's options, one parser per kind of value, each with ipvsadm's acceptance
 * rule and its exact error text. Addresses with ports are {@link Endpoints}'.
 */
final class OptionValues {
    /** The longest timeout ipvsadm accepts: 31 days. */
    static final long MAX_TIMEOUT = 86400L * 31;
    /** The kernel's name buffers (scheduler, persistence engine, interface) hold 16 bytes with the NUL. */
    static final int NAME_BYTES = 15;

    private OptionValues() {
    }

    /** string_to_number in min..max, or fail(message). */
    static long number(String v, long min, long max, String message) {
        long n = CNumbers.stringToNumber(v, min, max);
        if (n == Long.MIN_VALUE) {
            throw UsageException.fail(message);
        }
        return n;
    }

    /** A timeout in seconds (-p, --set), min..31 days. */
    static long timeout(String v, long min) {
        long t = CNumbers.stringToNumber(v, min, MAX_TIMEOUT);
        if (t == Long.MIN_VALUE) {
            throw UsageException.fail("invalid timeout value `%s' specified", v);
        }
        return t;
    }

    /** -f: 1..2^32-1. */
    static long fwmark(String v) {
        Long mark = CNumbers.strtolWhole(v);
        if (mark == null || mark <= 0 || mark > 0xFFFF_FFFFL) {
            throw UsageException.fail("invalid fwmark value `%s' specified", v);
        }
        return mark;
    }

    /**
     * A name for one of the kernel's 16-byte buffers (-s, --pe, --mcast-interface), as ipvsadm's
     * strncpy leaves it: up to a NUL, at most 15 bytes. The bytes are UTF-8, as the netlink codec
     * sends them; a character that does not fit whole is dropped rather than cut in half.
     */
    static String kernelName(String v) {
        int nul = v.indexOf('\0');
        String s = nul >= 0 ? v.substring(0, nul) : v;
        if (s.length() * 3 <= NAME_BYTES) {
            return s; // short enough whatever the characters (the common case, without encoding)
        }
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int size = utf8Length(cp);
            if (bytes + size > NAME_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    /** Bytes of a code point in UTF-8; a lone surrogate is encoded as one '?'. */
    private static int utf8Length(int cp) {
        if (cp < 0x80 || Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
            return 1;
        }
        return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /**
     * -M: for an IPv4 (or not yet known) service a dotted mask or a host name, as a 32-bit number
     * most significant byte first; for an IPv6 service a prefix length 1..128 read by atoi.
     */
    static long netmask(String v, boolean ipv6, Resolver resolver) {
        if (ipv6) {
            int prefix = CNumbers.atoi(v);
            if (prefix < 1 || prefix > 128) {
                throw UsageException.fail("illegal ipv6 netmask specified");
            }
            return prefix;
        }
        byte[] m = Addresses.aton(v);
        if (m == null) {
            InetAddress host = resolver.hostByName(v);
            m = host == null ? null : host.getAddress();
        }
        if (m == null) {
            throw UsageException.fail("illegal virtual server persistent mask specified");
        }
        return Integer.toUnsignedLong((m[0] & 0xFF) << 24 | (m[1] & 0xFF) << 16 | (m[2] & 0xFF) << 8 | (m[3] & 0xFF));
    }

    /** --start-daemon / --stop-daemon: master or backup, each command with its own text. */
    static SyncState daemonState(String v, CommandKind command) {
        return switch (v) {
            case "master" -> SyncState.MASTER;
            case "backup" -> SyncState.BACKUP;
            default -> throw UsageException.fail(command == CommandKind.START_DAEMON
                    ? "illegal start-daemon parameter specified" : "illegal start_daemon specified");
        };
    }

    /** --tun-type. */
    static TunnelType tunnelType(String v) {
        return switch (v) {
            case "ipip" -> TunnelType.IPIP;
            case "gue" -> TunnelType.GUE;
            case "gre" -> TunnelType.GRE;
            default -> throw UsageException.fail("illegal tunnel type specified");
        };
    }

    /** --mcast-group: IPv6 (ff00::/8) when it has a ':', else IPv4 (224.0.0.0/4), inet_pton both. */
    static InetAddress mcastGroup(String v) {
        if (v.indexOf(':') >= 0) {
            byte[] a = Addresses.pton6(v);
            if (a == null || (a[0] & 0xFF) != 0xFF) {
                throw UsageException.fail("invalid IPv6 mcast-group `%s'", v);
            }
            return Addresses.of(a);
        }
        byte[] a = Addresses.pton4(v);
        if (a == null || (a[0] & 0xF0) != 0xE0) {
            throw UsageException.fail("invalid IPv4 mcast-group `%s'", v);
        }
        return Addresses.of(a);
    }

    /** parse_sched_flags: comma-separated names, checked against the scheduler. */
    static Set<ServiceFlag> schedulerFlags(String text, String scheduler) {
        EnumSet<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
        if (text.isEmpty()) {
            return flags;
        }
        boolean any = false;
        for (String token : text.split(",")) {
            if (token.isEmpty()) {
                continue;
            }
            any = true;
            flags.add(switch (token) {
                case "flag-1" -> ServiceFlag.SCHED1;
                case "flag-2" -> ServiceFlag.SCHED2;
                case "flag-3" -> ServiceFlag.SCHED3;
                case "sh-fallback", "sh-port", "mh-fallback", "mh-port" -> {
                    if (!scheduler.equals(token.substring(0, 2))) {
                        throw UsageException.fail("incompatible scheduler flag `%s'", token);
                    }
                    yield token.endsWith("fallback") ? ServiceFlag.SCHED1 : ServiceFlag.SCHED2;
                }
                default -> throw UsageException.fail("invalid scheduler flag `%s'", token);
            });
        }
        if (!any) {
            // ipvsadm dereferences a NULL token here and crashes (SIGSEGV); jipvs's one deviation.
            throw UsageException.fail("invalid scheduler flag `%s': no flag given", text);
        }
        return flags;
    }
}
