package io.jipvs.netlink;

/**
 * What the kernel's extended ACK said about a failed request: a message and the byte offset of
 * the offending attribute from the start of the request's netlink header (-1 when absent).
 */
public record ExtendedAck(String message, int offset) {

    /** No extended ACK: no message, no offset. */
    public static final ExtendedAck NONE = new ExtendedAck(null, -1);

    /**
     * Whether the kernel said anything.
     *
     * @return true with a message or an offset
     */
    public boolean present() {
        return message != null || offset >= 0;
    }
}
