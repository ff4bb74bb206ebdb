package io.jipvs.netlink.internal.genl;

import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.NetlinkMessage;
import java.util.Arrays;

/**
 * A generic-netlink payload: struct genlmsghdr (cmd, version, reserved) and the attributes after
 * it (families with a non-zero hdrsize keep their header at the start of {@code attributes}).
 */
public record GenlMessage(int command, int version, byte[] attributes) {

    public GenlMessage {
        attributes = attributes == null ? new byte[0] : attributes;
    }

    /** The bytes that follow struct nlmsghdr. */
    public byte[] encode() {
        byte[] out = new byte[GenericNetlink.GENL_HDRLEN + attributes.length];
        out[0] = (byte) command;
        out[1] = (byte) version;
        System.arraycopy(attributes, 0, out, GenericNetlink.GENL_HDRLEN, attributes.length);
        return out;
    }

    public static GenlMessage decode(NetlinkMessage message, String operation) {
        byte[] p = message.payload();
        if (p.length < GenericNetlink.GENL_HDRLEN) {
            throw NetlinkException.protocol(operation, "generic netlink message without genlmsghdr");
        }
        return new GenlMessage(p[0] & 0xFF, p[1] & 0xFF, Arrays.copyOfRange(p, GenericNetlink.GENL_HDRLEN, p.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenlMessage m && m.command == command && m.version == version
                && Arrays.equals(m.attributes, attributes);
    }

    @Override
    public int hashCode() {
        return (command * 31 + version) * 31 + Arrays.hashCode(attributes);
    }

    @Override
    public String toString() {
        return "GenlMessage[cmd=" + command + ", version=" + version + ", " + attributes.length + " attribute bytes]";
    }
}
