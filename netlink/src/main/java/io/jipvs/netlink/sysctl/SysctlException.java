package io.jipvs.netlink.sysctl;

/** A /proc/sys entry could not be read or written; the message names the key and the reason. */
public final class SysctlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure.
     *
     * @param message names the key and the reason
     * @param cause   the I/O failure, or null
     */
    public SysctlException(String message, Throwable cause) {
        super(message, cause);
    }
}
