package io.jipvs.netlink.ipvs;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;

/**
 * A failed IPVS operation. {@link #getMessage()} is exactly the text ipvsadm prints for the same
 * failure (its ipvs_strerror table, keyed by operation and errno, falling back to strerror), so a
 * CLI can print it verbatim. For {@link IpvsOperation#INIT} it is ipvsadm's two-line start-up
 * failure text.
 */
public final class IpvsException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    /** ipvsadm's start-up failure format (one fail() call with an embedded newline). */
    private static final String INIT_FORMAT =
            "Can't initialize ipvs: %s\nAre you sure that IP Virtual Server is built in the kernel or as module?";

    private final IpvsOperation ipvsOperation;
    private final String reason;

    public IpvsException(IpvsOperation operation, int errno, ExtendedAck extendedAck) {
        this(operation, errno, describe(operation, errno), extendedAck);
    }

    private IpvsException(IpvsOperation operation, int errno, String reason, ExtendedAck extendedAck) {
        super(operation.description(), errno,
                operation == IpvsOperation.INIT ? String.format(INIT_FORMAT, reason) : reason, extendedAck);
        this.ipvsOperation = operation;
        this.reason = reason;
    }

    /** Re-labels a lower-level failure with the IPVS operation it broke. */
    public static IpvsException of(IpvsOperation operation, NetlinkException cause) {
        if (cause instanceof IpvsException ipvs && ipvs.ipvsOperation == operation) {
            return ipvs;
        }
        IpvsException e = new IpvsException(operation, cause.errno(), cause.extendedAck());
        e.initCause(cause);
        return e;
    }

    public IpvsOperation ipvsOperation() {
        return ipvsOperation;
    }

    /** ipvs_strerror's text alone (for INIT without the "Can't initialize ipvs" frame). */
    public String reason() {
        return reason;
    }

    /**
     * The one errno → message table: ipvsadm 1.31's ipvs_strerror (first match wins, operation
     * specific rows before the generic ones), then the C library's strerror.
     */
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
