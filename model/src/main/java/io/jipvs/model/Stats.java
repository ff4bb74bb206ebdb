package io.jipvs.model;

/**
 * Traffic counters and rates of a service or destination as the kernel reports them (relative to
 * the last zero). All values are unsigned 64-bit; rates are per second.
 */
public record Stats(long connections, long inPackets, long outPackets, long inBytes, long outBytes,
                    long connectionRate, long inPacketRate, long outPacketRate, long inByteRate,
                    long outByteRate) {

    /** All counters and rates zero. */
    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
