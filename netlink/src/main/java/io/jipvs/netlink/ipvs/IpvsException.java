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

    private final IpvsOperation ipvsOperation;

    public IpvsException(IpvsOperation operation, int errno, ExtendedAck extendedAck) {
        super(operation.description(), errno,
                NetlinkException.of(operation.description(), errno, extendedAck).getMessage(), extendedAck);
        this.ipvsOperation = operation;
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

    /** The operation that failed. */
    public IpvsOperation ipvsOperation() {
        return ipvsOperation;
    }
}
