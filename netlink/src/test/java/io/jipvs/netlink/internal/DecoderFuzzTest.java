package io.jipvs.netlink.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.internal.IpvsCodec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds truncated, bit-flipped and random bytes to every decoder. The only failure allowed is a
 * {@link NetlinkException}; anything else (index errors, NPEs, model validation errors) is a bug.
 */
class DecoderFuzzTest {
    private static final long SEED = 0x1F5_2026L;
    private static final int ROUNDS = 20_000;

    private interface Decoder {
        void decode(byte[] input);
    }

    private static List<byte[]> seeds() throws Exception {
        ServiceKey v4 = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.1"), 80);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(IpvsCodec.encode(new IpvsMutation.AddService(Service.builder(v4).persistent(60)
                .persistenceEngine("sip").build())).attributes());
        seeds.add(IpvsCodec.encode(new IpvsMutation.AddDestination(v4, Destination.of(
                InetAddress.getByName("2001:db8::1"), 80).withTunnel(TunnelType.GUE, 6080, TunnelChecksum.CSUM)))
                .attributes());
        seeds.add(IpvsCodec.encode(new IpvsMutation.StartDaemon(new SyncDaemon(SyncState.BACKUP, "eth0", 3, 1400,
                InetAddress.getByName("ff02::1"), 8848, 2))).attributes());
        seeds.add(new AttributeWriter().nested(1, w -> w.u16(1, 10).u32(5, 9).string(6, "rr")
                .nested(12, s -> s.u64(1, 5).u64(2, 6)).nested(10, s -> s.u32(1, 5))).toByteArray());
        return seeds;
    }

    private static List<Decoder> decoders() {
        return List.of(
                b -> IpvsCodec.decodeService(new GenlMessage(1, 1, b)),
                b -> IpvsCodec.decodeDestination(new GenlMessage(5, 1, b), AddressFamily.INET),
                b -> IpvsCodec.decodeDestination(new GenlMessage(5, 1, b), AddressFamily.INET6),
                b -> IpvsCodec.decodeDaemon(new GenlMessage(9, 1, b)),
                b -> IpvsCodec.decodeTimeouts(new GenlMessage(12, 1, b)),
                b -> IpvsCodec.decodeInfo(new GenlMessage(14, 1, b)),
                b -> {
                    for (NetlinkMessage m : NetlinkMessage.parse(b, b.length, "fuzz")) {
                        if (m.type() == Netlink.NLMSG_ERROR) {
                            m.errorCode("fuzz");
                            m.extendedAck();
                        }
                        GenlMessage.decode(m, "fuzz");
                    }
                },
                b -> {
                    AttributeReader r = AttributeReader.of(b);
                    while (r.next()) {
                        r.string();
                        r.unsigned();
                        r.nested(n -> {
                            while (n.next()) {
                                n.u32();
                            }
                        });
                    }
                });
    }

    @Test
    void decodersOnlyEverFailWithNetlinkException() throws Exception {
        Random random = new Random(SEED);
        List<byte[]> seeds = seeds();
        List<Decoder> decoders = decoders();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            if (round % 2 == 1) {
                // Also wrap it as a netlink message (error or data) with the same damage.
                input = wrap(input, random);
            }
            for (Decoder d : decoders) {
                try {
                    d.decode(input);
                } catch (NetlinkException expected) {
                    // a clean rejection
                } catch (RuntimeException e) {
                    fail("round " + round + " input " + Arrays.toString(input) + " threw " + e, e);
                }
            }
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(5)) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncate
            case 1 -> {
                for (int i = random.nextInt(4) + 1; i > 0; i--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> b[random.nextInt(Math.min(b.length, 64))] = (byte) random.nextInt(256); // lengths, types
            case 3 -> {
                b = new byte[random.nextInt(96)];
                random.nextBytes(b);
            }
            default -> {
                int at = random.nextInt(b.length);
                b[at] = (byte) 0xFF; // a length far past the end
            }
        }
        return b;
    }

    private static byte[] wrap(byte[] payload, Random random) {
        int type = random.nextBoolean() ? Netlink.NLMSG_ERROR : 0x20;
        int flags = random.nextInt(0x400);
        byte[] m = new NetlinkMessage(type, flags, 1, 1, payload).encode();
        if (random.nextBoolean()) {
            m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return m;
    }
}
