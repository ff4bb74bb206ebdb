package io.jipvs.netlink.ipvs;

import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;

/**
 * A failed IPVS operation, in kernel terms: which {@link IpvsOperation} failed, the errno the
 * kernel answered and any extended-ACK text. The message reads like any C tool's
 * ({@code "add service: File exists"}); a front end that wants its own wording (the ipvsadm
 * emulation does) maps {@link #ipvsOperation()} and {@link #errno()} itself.
 */
public final class IpvsException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    /** The operation that failed. */
    private final IpvsOperation ipvsOperation;

    /**
     * A failure of {@code operation}, with the C library's text for the errno.
     *
     * @param operation   what failed
     * @param errno       the kernel's errno, positive
     * @param extendedAck what the kernel added, or null
     */
    public IpvsException(IpvsOperation operation, int errno, ExtendedAck extendedAck) {
        super(operation.description(), errno,
                NetlinkException.of(operation.description(), errno, extendedAck).getMessage(), extendedAck);
        this.ipvsOperation = operation;
    }

    /**
     * Re-labels a lower-level failure with the IPVS operation it broke.
     *
     * @param operation the IPVS operation
     * @param cause     the failure
     * @return {@code cause} itself when it already is this operation's, else a new exception with it as cause
     */
    public static IpvsException of(IpvsOperation operation, NetlinkException cause) {
        if (cause instanceof IpvsException ipvs && ipvs.ipvsOperation == operation) {
            return ipvs;
        }
        IpvsException e = new IpvsException(operation, cause.errno(), cause.extendedAck());
        e.initCause(cause);
        return e;
    }

    /**
     * The operation that failed.
     *
     * @return the operation
     */
    public IpvsOperation ipvsOperation() {
        return ipvsOperation;
    }
}
