package io.jipvs.bench;

import static io.jipvs.netlink.ipvs.internal.IpvsConstants.*;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.internal.AttributeWriter;
import io.jipvs.netlink.internal.NetlinkMessage;
import io.jipvs.netlink.internal.genl.GenlMessage;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.internal.IpvsCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The user-space share of every IPVS operation: encoding a request, decoding a reply. The kernel's
 * share (sys time) is measured by the table benchmark; this keeps ours small and visible.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CodecBenchmark {
    private static final int NLMSG_HDRLEN = 16;
    private static final int DUMP_CHUNK_SERVICES = 100; // what one 32 KiB dump datagram holds

    private IpvsMutation addService;
    private IpvsMutation addDestination;
    private GenlMessage serviceReply;
    private GenlMessage destinationReply;
    private byte[] dumpChunk;

    @Setup
    public void setUp() throws Exception {
        ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.20.30.40"), 80);
        addService = new IpvsMutation.AddService(Service.builder(key).scheduler("wrr").build());
        addDestination = new IpvsMutation.AddDestination(key,
                Destination.of(InetAddress.getByName("172.16.0.10"), 8080).withForwarding(ForwardingMethod.MASQ)
                        .withWeight(3));
        serviceReply = new GenlMessage(IPVS_CMD_NEW_SERVICE, IPVS_GENL_VERSION, serviceReplyAttributes());
        destinationReply = new GenlMessage(IPVS_CMD_NEW_DEST, IPVS_GENL_VERSION, destinationReplyAttributes());

        // A dump datagram as the kernel sends it: many NEW_SERVICE messages back to back.
        byte[] one = new NetlinkMessage(0x20, 0x2, 1, 1, serviceReply.encode()).encode();
        ByteBuffer chunk = ByteBuffer.allocate(one.length * DUMP_CHUNK_SERVICES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < DUMP_CHUNK_SERVICES; i++) {
            chunk.put(one);
        }
        dumpChunk = chunk.array();
    }

    /** A NEW_SERVICE reply as a 6.x kernel fills it: identity, settings, STATS and STATS64. */
    private static byte[] serviceReplyAttributes() {
        return new AttributeWriter().nested(IPVS_CMD_ATTR_SERVICE, s -> s
                .u16(IPVS_SVC_ATTR_AF, AddressFamily.INET.number())
                .u16(IPVS_SVC_ATTR_PROTOCOL, Protocol.TCP.number())
                .binary(IPVS_SVC_ATTR_ADDR, new byte[] {10, 20, 30, 40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
                .be16(IPVS_SVC_ATTR_PORT, 80)
                .string(IPVS_SVC_ATTR_SCHED_NAME, "wrr")
                .binary(IPVS_SVC_ATTR_FLAGS, new byte[] {2, 0, 0, 0, -1, -1, -1, -1})
                .u32(IPVS_SVC_ATTR_TIMEOUT, 0)
                .be32(IPVS_SVC_ATTR_NETMASK, -1)
                .nested(IPVS_SVC_ATTR_STATS, CodecBenchmark::stats32)
                .nested(IPVS_SVC_ATTR_STATS64, CodecBenchmark::stats64)).toByteArray();
    }

    private static byte[] destinationReplyAttributes() {
        return new AttributeWriter().nested(IPVS_CMD_ATTR_DEST, d -> d
                .binary(IPVS_DEST_ATTR_ADDR, new byte[] {(byte) 172, 16, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
                .be16(IPVS_DEST_ATTR_PORT, 8080)
                .u32(IPVS_DEST_ATTR_FWD_METHOD, IP_VS_CONN_F_MASQ)
                .u32(IPVS_DEST_ATTR_WEIGHT, 3)
                .u8(IPVS_DEST_ATTR_TUN_TYPE, 0)
                .be16(IPVS_DEST_ATTR_TUN_PORT, 0)
                .u16(IPVS_DEST_ATTR_TUN_FLAGS, 0)
                .u32(IPVS_DEST_ATTR_U_THRESH, 0)
                .u32(IPVS_DEST_ATTR_L_THRESH, 0)
                .u32(IPVS_DEST_ATTR_ACTIVE_CONNS, 12)
                .u32(IPVS_DEST_ATTR_INACT_CONNS, 40)
                .u32(IPVS_DEST_ATTR_PERSIST_CONNS, 0)
                .u16(IPVS_DEST_ATTR_ADDR_FAMILY, AddressFamily.INET.number())
                .nested(IPVS_DEST_ATTR_STATS, CodecBenchmark::stats32)
                .nested(IPVS_DEST_ATTR_STATS64, CodecBenchmark::stats64)).toByteArray();
    }

    private static void stats32(AttributeWriter w) {
        w.u32(IPVS_STATS_ATTR_CONNS, 1000).u32(IPVS_STATS_ATTR_INPKTS, 20000).u32(IPVS_STATS_ATTR_OUTPKTS, 19000)
                .u64(IPVS_STATS_ATTR_INBYTES, 3_000_000L).u64(IPVS_STATS_ATTR_OUTBYTES, 90_000_000L)
                .u32(IPVS_STATS_ATTR_CPS, 5).u32(IPVS_STATS_ATTR_INPPS, 100).u32(IPVS_STATS_ATTR_OUTPPS, 95)
                .u32(IPVS_STATS_ATTR_INBPS, 15000).u32(IPVS_STATS_ATTR_OUTBPS, 450000);
    }

    private static void stats64(AttributeWriter w) {
        w.u64(IPVS_STATS_ATTR_CONNS, 1000).u64(IPVS_STATS_ATTR_INPKTS, 20000).u64(IPVS_STATS_ATTR_OUTPKTS, 19000)
                .u64(IPVS_STATS_ATTR_INBYTES, 3_000_000L).u64(IPVS_STATS_ATTR_OUTBYTES, 90_000_000L)
                .u64(IPVS_STATS_ATTR_CPS, 5).u64(IPVS_STATS_ATTR_INPPS, 100).u64(IPVS_STATS_ATTR_OUTPPS, 95)
                .u64(IPVS_STATS_ATTR_INBPS, 15000).u64(IPVS_STATS_ATTR_OUTBPS, 450000);
    }

    @Benchmark
    public byte[] encodeNewService() {
        return IpvsCodec.encode(addService).encode();
    }

    @Benchmark
    public byte[] encodeNewDestination() {
        return IpvsCodec.encode(addDestination).encode();
    }

    @Benchmark
    public ServiceEntry decodeServiceReply() {
        return IpvsCodec.decodeService(serviceReply);
    }

    @Benchmark
    public DestinationEntry decodeDestinationReply() {
        return IpvsCodec.decodeDestination(destinationReply, AddressFamily.INET);
    }

    /** A whole 100-service dump datagram: framing, genl header and every service in it. */
    @Benchmark
    public List<ServiceEntry> decodeServiceDumpChunk() {
        List<NetlinkMessage> messages = NetlinkMessage.parse(dumpChunk, dumpChunk.length, "bench");
        List<ServiceEntry> out = new ArrayList<>(messages.size());
        for (NetlinkMessage m : messages) {
            out.add(IpvsCodec.decodeService(GenlMessage.decode(m, "bench")));
        }
        return out;
    }
}
