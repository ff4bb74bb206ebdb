package io.jipvs.netlink.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Builds a sequence of netlink attributes (struct nlattr + payload, 4-byte aligned). Integers
 * are in host order unless the method says big-endian: IPVS mixes both and the caller must pick.
 */
public final class AttributeWriter {
    /** The largest attribute, header included: nla_len is 16 bits. */
    public static final int MAX_LENGTH = 0xFFFF;

    private ByteBuffer buffer = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());

    public AttributeWriter u8(int type, int value) {
        header(type, 1).put((byte) value);
        return pad();
    }

    public AttributeWriter u16(int type, int value) {
        header(type, 2).putShort((short) value);
        return pad();
    }

    public AttributeWriter u32(int type, int value) {
        header(type, 4).putInt(value);
        return pad();
    }

    /** Unsigned 32-bit value held in a long (0..2^32-1). */
    public AttributeWriter u32(int type, long value) {
        return u32(type, (int) value);
    }

    public AttributeWriter u64(int type, long value) {
        header(type, 8).putLong(value);
        return pad();
    }

    /** 16 bits in network byte order (IPVS ports). */
    public AttributeWriter be16(int type, int value) {
        ByteBuffer b = header(type, 2);
        b.put((byte) (value >>> 8)).put((byte) value);
        return pad();
    }

    /** 32 bits in network byte order (IPv4 masks and addresses). */
    public AttributeWriter be32(int type, int value) {
        ByteBuffer b = header(type, 4);
        b.put((byte) (value >>> 24)).put((byte) (value >>> 16)).put((byte) (value >>> 8)).put((byte) value);
        return pad();
    }

    /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING). */
    public AttributeWriter string(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        header(type, bytes.length + 1).put(bytes).put((byte) 0);
        return pad();
    }

    public AttributeWriter binary(int type, byte[] value) {
        header(type, value.length).put(value);
        return pad();
    }

    /**
     * A nested attribute whose content {@code body} writes; the kernel style: no NLA_F_NESTED bit.
     *
     * @throws IllegalArgumentException if the content makes it longer than nla_len (16 bits) can say
     */
    public AttributeWriter nested(int type, Consumer<AttributeWriter> body) {
        int start = buffer.position();
        header(type, 0);
        body.accept(this);
        checkLength(type, buffer.position() - start);
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** Appends already encoded attributes. */
    public AttributeWriter raw(byte[] encoded) {
        ensure(encoded.length);
        buffer.put(encoded);
        return this;
    }

    public int size() {
        return buffer.position();
    }

    public byte[] toByteArray() {
        byte[] out = new byte[buffer.position()];
        buffer.get(0, out);
        return out;
    }

    private ByteBuffer header(int type, int payloadLength) {
        int length = Netlink.NLA_HDRLEN + payloadLength;
        checkLength(type, length);
        ensure(Netlink.align(length));
        buffer.putShort((short) length).putShort((short) type);
        return buffer;
    }

    private static void checkLength(int type, int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("netlink attribute " + type + " of " + length
                    + " bytes is longer than the " + MAX_LENGTH + " an nla_len can hold");
        }
    }

    private AttributeWriter pad() {
        while ((buffer.position() & (Netlink.NLMSG_ALIGNTO - 1)) != 0) {
            buffer.put((byte) 0);
        }
        return this;
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }
}
