package io.jipvs.netlink.internal;

import io.jipvs.netlink.Errno;
import io.jipvs.netlink.ExtendedAck;
import io.jipvs.netlink.NetlinkException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A cursor over netlink attributes. Reading never throws: the first problem (a truncated
 * header, a length past the end, a value of the wrong width) is remembered, every later call
 * returns zero values and {@link #next()} returns false; check {@link #error()} once at the end.
 * Unknown attribute types are simply skipped by the caller.
 *
 * <pre>
 * AttributeReader r = AttributeReader.of(payload);
 * while (r.next()) {
 *     switch (r.type()) {
 *         case 1 -&gt; af = r.u16();
 *         case 4 -&gt; port = r.be16();
 *         default -&gt; { }
 *     }
 * }
 * r.check("decode service");
 * </pre>
 */
public final class AttributeReader {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final byte[] data;
    private final int end;
    private int next;
    private int type = -1;
    private int rawType;
    private int valueOffset;
    private int valueLength;
    private String error;

    private AttributeReader(byte[] data, int offset, int length) {
        this.data = data;
        this.next = offset;
        this.end = offset + length;
    }

    public static AttributeReader of(byte[] data) {
        return new AttributeReader(data, 0, data.length);
    }

    public static AttributeReader of(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length || length > data.length - offset) {
            AttributeReader r = new AttributeReader(data, 0, 0);
            r.fail("attribute range outside the buffer");
            return r;
        }
        return new AttributeReader(data, offset, length);
    }

    /** Moves to the next attribute; false at the end or after an error. */
    public boolean next() {
        if (error != null || next >= end) {
            return false;
        }
        if (end - next < Netlink.NLA_HDRLEN) {
            return fail("truncated attribute header at offset " + next);
        }
        int length = Short.toUnsignedInt((short) U16.get(data, next));
        if (length < Netlink.NLA_HDRLEN) {
            return fail("attribute length " + length + " shorter than its header at offset " + next);
        }
        if (length > end - next) {
            return fail("attribute length " + length + " runs past the end at offset " + next);
        }
        rawType = Short.toUnsignedInt((short) U16.get(data, next + 2));
        type = rawType & Netlink.NLA_TYPE_MASK;
        valueOffset = next + Netlink.NLA_HDRLEN;
        valueLength = length - Netlink.NLA_HDRLEN;
        // The last attribute may omit its padding; never step beyond the end.
        next = Math.min(end, next + Netlink.align(length));
        return true;
    }

    /** Type of the current attribute without the NESTED / NET_BYTEORDER bits. */
    public int type() {
        return type;
    }

    /** True when the current attribute carries the NLA_F_NESTED bit. */
    public boolean nestedFlag() {
        return (rawType & Netlink.NLA_F_NESTED) != 0;
    }

    /** Payload length of the current attribute. */
    public int length() {
        return valueLength;
    }

    public int u8() {
        return width(1) ? Byte.toUnsignedInt(data[valueOffset]) : 0;
    }

    public int u16() {
        return width(2) ? Short.toUnsignedInt((short) U16.get(data, valueOffset)) : 0;
    }

    /** 32-bit value; interpret as unsigned with {@link Integer#toUnsignedLong}. */
    public int u32() {
        return width(4) ? (int) U32.get(data, valueOffset) : 0;
    }

    public long u64() {
        return width(8) ? (long) U64.get(data, valueOffset) : 0;
    }

    /**
     * An unsigned integer of whatever width (1, 2, 4 or 8 bytes, host order) the attribute has;
     * for counters whose width differs between the legacy and 64-bit nests.
     */
    public long unsigned() {
        if (error != null || type < 0) {
            return 0;
        }
        switch (valueLength) {
            case 1:
                return Byte.toUnsignedLong(data[valueOffset]);
            case 2:
                return Short.toUnsignedLong((short) U16.get(data, valueOffset));
            case 4:
                return Integer.toUnsignedLong((int) U32.get(data, valueOffset));
            case 8:
                return (long) U64.get(data, valueOffset);
            default:
                fail("attribute " + type + " has length " + valueLength + ", expected an integer");
                return 0;
        }
    }

    /** 16 bits in network byte order. */
    public int be16() {
        return width(2) ? ((data[valueOffset] & 0xFF) << 8) | (data[valueOffset + 1] & 0xFF) : 0;
    }

    /** 32 bits in network byte order. */
    public int be32() {
        if (!width(4)) {
            return 0;
        }
        return ((data[valueOffset] & 0xFF) << 24) | ((data[valueOffset + 1] & 0xFF) << 16)
                | ((data[valueOffset + 2] & 0xFF) << 8) | (data[valueOffset + 3] & 0xFF);
    }

    /** A string up to its first NUL (or the whole payload when there is none). */
    public String string() {
        if (error != null || type < 0) {
            return "";
        }
        int len = 0;
        while (len < valueLength && data[valueOffset + len] != 0) {
            len++;
        }
        return new String(data, valueOffset, len, StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        if (error != null || type < 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
    }

    /** Reads the current attribute's payload as nested attributes; the nest's error becomes ours. */
    public void nested(Consumer<AttributeReader> body) {
        if (error != null || type < 0) {
            return;
        }
        AttributeReader inner = new AttributeReader(data, valueOffset, valueLength);
        body.accept(inner);
        if (inner.error != null && error == null) {
            error = "in attribute " + type + ": " + inner.error;
        }
    }

    /** Records a semantic problem found by the caller (e.g. an unknown enum value). */
    public boolean fail(String message) {
        if (error == null) {
            error = message;
        }
        return false;
    }

    /** The first problem met, or null. */
    public String error() {
        return error;
    }

    /** Throws a protocol error if anything went wrong while reading. */
    public void check(String operation) {
        if (error != null) {
            throw new NetlinkException(operation, Errno.EBADMSG, operation + ": malformed attributes: " + error,
                    ExtendedAck.NONE);
        }
    }

    private boolean width(int expected) {
        if (error != null || type < 0) {
            return false;
        }
        if (valueLength != expected) {
            fail("attribute " + type + " has length " + valueLength + ", expected " + expected);
            return false;
        }
        return true;
    }
}
