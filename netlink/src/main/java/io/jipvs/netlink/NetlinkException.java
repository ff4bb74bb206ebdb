package io.jipvs.netlink;

/**
 * A failed netlink operation: what was being done, the errno the kernel (or the socket call)
 * returned, and whatever the kernel's extended ACK added. Protocol violations (malformed or
 * unexpected replies) carry {@link Errno#EPROTO} or {@link Errno#EBADMSG}.
 */
public class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What was being done, e.g. "RTM_NEWADDR 10.0.0.100/32 dev lo". */
    private final String operation;
    /** The errno, positive. */
    private final int errno;
    private final transient ExtendedAck extendedAck;

    /**
     * A failure with a message of the caller's choosing.
     *
     * @param operation   what was being done
     * @param errno       the errno, positive
     * @param message     the exception's message
     * @param extendedAck what the kernel added, or null for nothing
     */
    public NetlinkException(String operation, int errno, String message, ExtendedAck extendedAck) {
        super(message);
        this.operation = operation;
        this.errno = errno;
        this.extendedAck = extendedAck == null ? ExtendedAck.NONE : extendedAck;
    }

    /**
     * An error described by the C library's text for the errno, prefixed by the operation, with the
     * extended-ACK message in brackets when there is one.
     *
     * @param operation what was being done
     * @param errno     the errno, positive
     * @param ack       what the kernel added, or null
     * @return "operation: strerror (extended ACK message)"
     */
    public static NetlinkException of(String operation, int errno, ExtendedAck ack) {
        String text = operation + ": " + Errno.strerror(errno);
        if (ack != null && ack.message() != null) {
            text += " (" + ack.message() + ")";
        }
        return new NetlinkException(operation, errno, text, ack);
    }

    /**
     * An error described by the C library's text for the errno, prefixed by the operation.
     *
     * @param operation what was being done
     * @param errno     the errno, positive
     * @return "operation: strerror"
     */
    public static NetlinkException of(String operation, int errno) {
        return of(operation, errno, ExtendedAck.NONE);
    }

    /**
     * The peer broke the protocol (bad lengths, unexpected sequence numbers, ...).
     *
     * @param operation what was being done
     * @param detail    what was wrong
     * @return an {@link Errno#EPROTO} failure
     */
    public static NetlinkException protocol(String operation, String detail) {
        return new NetlinkException(operation, Errno.EPROTO, operation + ": protocol error: " + detail,
                ExtendedAck.NONE);
    }

    /**
     * What was being done.
     *
     * @return e.g. "RTM_GETLINK eth0"
     */
    public String operation() {
        return operation;
    }

    /**
     * The errno.
     *
     * @return a positive errno number
     */
    public int errno() {
        return errno;
    }

    /**
     * The errno's symbolic name.
     *
     * @return e.g. "ENOENT"
     */
    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * What the kernel's extended ACK said.
     *
     * @return the extended ACK, {@link ExtendedAck#NONE} when it said nothing
     */
    public ExtendedAck extendedAck() {
        return extendedAck;
    }

    /**
     * The extended-ACK message.
     *
     * @return the message, or null when the kernel sent none
     */
    public String extendedAckMessage() {
        return extendedAck.message();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + operation + ", " + errnoName() + "]: " + getMessage();
    }
}
