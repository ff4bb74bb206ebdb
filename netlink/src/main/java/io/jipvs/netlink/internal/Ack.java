package io.jipvs.netlink.internal;

import io.jipvs.netlink.ExtendedAck;

/**
 * The kernel's answer to one request of a batch: errno 0 for success, else the error and any
 * extended-ACK detail.
 */
public record Ack(int errno, ExtendedAck extendedAck) {

    public static final Ack OK = new Ack(0, ExtendedAck.NONE);

    public boolean ok() {
        return errno == 0;
    }
}
