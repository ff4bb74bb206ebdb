package io.jipvs.netlink;

/**
 * A failed netlink operation: what was being done, the errno the kernel (or the socket call)
 * returned, and whatever the kernel's extended ACK added. Protocol violations (malformed or
 * unexpected replies) carry {@link Errno#EPROTO} or {@link Errno#EBADMSG}.
 */
public class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final transient ExtendedAck extendedAck;

    public NetlinkException(String operation, int errno, String message, ExtendedAck extendedAck) {
        super(message);
        this.operation = operation;
        this.errno = errno;
        this.extendedAck = extendedAck == null ? ExtendedAck.NONE : extendedAck;
    }

    /** An error described by the C library's text for the errno, prefixed by the operation. */
    public static NetlinkException of(String operation, int errno, ExtendedAck ack) {
        String text = operation + ": " + Errno.strerror(errno);
        if (ack != null && ack.message() != null) {
            text += " (" + ack.message() + ")";
        }
        return new NetlinkException(operation, errno, text, ack);
    }

    public static NetlinkException of(String operation, int errno) {
        return of(operation, errno, ExtendedAck.NONE);
    }

    /** The peer broke the protocol (bad lengths, unexpected sequence numbers, ...). */
    public static NetlinkException protocol(String operation, String detail) {
        return new NetlinkException(operation, Errno.EPROTO, operation + ": protocol error: " + detail,
                ExtendedAck.NONE);
    }

    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. "ENOENT". */
    public String errnoName() {
        return Errno.name(errno);
    }

    public ExtendedAck extendedAck() {
        return extendedAck;
    }

    /** The extended-ACK message, or null when the kernel sent none. */
    public String extendedAckMessage() {
        return extendedAck.message();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + operation + ", " + errnoName() + "]: " + getMessage();
    }
}
