package io.jipvs.netlink;

/**
 * What the kernel's extended ACK said about a failed request: a message and the byte offset of
 * the offending attribute from the start of the request's netlink header (-1 when absent).
 */
public record ExtendedAck(String message, int offset) {

    public static final ExtendedAck NONE = new ExtendedAck(null, -1);

    public boolean present() {
        return message != null || offset >= 0;
    }
}
