package io.jipvs.cli.ipvsadm;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsOperation;

/**
 * ipvsadm 1.31's wording for a failed IPVS operation: its ipvs_strerror table, keyed by operation
 * and errno (first match wins, operation-specific rows before the generic ones), then the C
 * library's strerror; and its two-line start-up failure.
 */
public final class IpvsadmErrors {
    /** ipvsadm's start-up failure format (one fail() call with an embedded newline). */
    private static final String INIT_FORMAT =
            "Can't initialize ipvs: %s\nAre you sure that IP Virtual Server is built in the kernel or as module?";

    private IpvsadmErrors() {
    }

    /** What ipvsadm prints for this failure. */
    public static String text(IpvsException e) {
        String reason = describe(e.ipvsOperation(), e.errno());
        return e.ipvsOperation() == IpvsOperation.INIT ? String.format(INIT_FORMAT, reason) : reason;
    }

    /** ipvs_strerror's text for an errno of an operation. */
    public static String describe(IpvsOperation op, int errno) {
        String specific = switch (op) {
            case ADD_SERVICE -> switch (errno) {
                case Errno.EEXIST -> "Service already exists";
                case Errno.ENOENT -> "Scheduler or persistence engine not found";
                default -> null;
            };
            case UPDATE_SERVICE -> switch (errno) {
                case Errno.ESRCH -> "No such service";
                case Errno.ENOENT -> "Scheduler or persistence engine not found";
                default -> null;
            };
            case DELETE_SERVICE, ZERO, GET_SERVICE, LIST_DESTINATIONS -> errno == Errno.ESRCH ? "No such service" : null;
            case ADD_DESTINATION -> switch (errno) {
                case Errno.ESRCH -> "Service not defined";
                case Errno.EEXIST -> "Destination already exists";
                default -> null;
            };
            case UPDATE_DESTINATION, DELETE_DESTINATION -> switch (errno) {
                case Errno.ESRCH -> "Service not defined";
                case Errno.ENOENT -> "No such destination";
                default -> null;
            };
            case START_DAEMON -> errno == Errno.EEXIST ? "Daemon has already run" : null;
            case STOP_DAEMON -> errno == Errno.ESRCH ? "No daemon is running" : null;
            // No IPVS family: ipvsadm then falls back to the legacy socket option interface,
            // which fails with ENOPROTOOPT on such a kernel; report what ipvsadm reports.
            case INIT -> errno == Errno.ENOENT ? "Protocol not available" : null;
            default -> null;
        };
        if (specific != null) {
            return specific;
        }
        return switch (errno) {
            case Errno.EPERM -> "Permission denied (you must be root)";
            case Errno.EINVAL -> "Invalid operation.  Possibly wrong module version, address not unicast, ...";
            case Errno.ENOPROTOOPT -> "Protocol not available";
            case Errno.ENOMEM -> "Memory allocation problem";
            case Errno.EOPNOTSUPP -> "Operation not supported with IPv6";
            case Errno.EAFNOSUPPORT -> "Operation not supported with specified address family";
            case Errno.EMSGSIZE -> "Module is wrong version";
            default -> Errno.strerror(errno);
        };
    }
}
