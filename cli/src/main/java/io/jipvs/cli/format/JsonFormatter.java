package io.jipvs.cli.format;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * jipvs's --json listings: the records below are the schema documented in README.md ("JSON
 * output"), field for field and in that order, and Jackson writes them. Only this class touches
 * Jackson, so the plain listing path never loads it. Addresses are inet_ntop text, numbers exact
 * (no shortening, no 32-bit destination counters: the JSON carries the kernel's values), and a
 * field that is not set is absent (the schema has no nulls).
 */
public final class JsonFormatter {
    // No flush after each value: the connection table is written entry by entry into a buffered
    // stdout, and a flush after each would be a write(2) each.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writerWithDefaultPrettyPrinter();

    private JsonFormatter() {
    }

    public static String services(IpvsInfo info, List<ServiceView> views) {
        List<ServiceJson> services = new ArrayList<>(views.size());
        for (ServiceView v : views) {
            services.add(ServiceJson.of(v));
        }
        return info == null
                ? write(new ServicesJson(null, null, services))
                : write(new ServicesJson(info.version(), info.connectionTableSize(), services));
    }

    public static String timeouts(Timeouts t) {
        return write(new TimeoutsJson(t)); // the model's record is the schema: tcp, tcpFin, udp
    }

    public static String daemons(List<SyncDaemon> daemons) {
        List<DaemonJson> list = new ArrayList<>(daemons.size());
        for (SyncDaemon d : daemons) {
            list.add(DaemonJson.of(d));
        }
        return write(new DaemonsJson(list));
    }

    /**
     * Connections from /proc/net/ip_vs_conn lines (after the header), written to {@code out} as
     * the lines come: the connection table can be far larger than a listing worth holding in
     * memory. Call {@link ConnectionWriter#finish} at the end.
     */
    public static ConnectionWriter connections(OutputStream out) {
        return new ConnectionWriter(out);
    }

    /** The connections document, written one connection at a time. */
    public static final class ConnectionWriter {
        private final OutputStream out;
        private final JsonGenerator gen;

        private ConnectionWriter(OutputStream out) {
            this.out = out;
            try {
                gen = WRITER.createGenerator(out, JsonEncoding.UTF8);
                gen.setCodec(MAPPER); // entries go through this generator, at its indentation
                gen.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // the stream is the caller's
                gen.writeStartObject();
                gen.writeFieldName("connections");
                gen.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** One line of /proc/net/ip_vs_conn (after the header); lines of fewer than nine fields are skipped. */
        public void add(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 9) {
                return;
            }
            try {
                gen.writeObject(ConnectionJson.of(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Closes the document (and its line), leaving the stream open. */
        public void finish() {
            try {
                gen.writeEndArray();
                gen.writeEndObject();
                gen.close();
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String write(Object document) {
        try {
            return WRITER.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // records of strings and numbers always serialise
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String familyName(AddressFamily f) {
        return f == AddressFamily.INET6 ? "inet6" : "inet";
    }

    record ServicesJson(String version, Integer connectionTableSize, List<ServiceJson> services) {
    }

    /** Either protocol, address and port, or fwmark. */
    record ServiceJson(String family, String protocol, String address, Integer port, Long fwmark, String scheduler,
                       List<String> flags, List<String> schedulerFlags, Persistence persistence,
                       String persistenceEngine, StatsJson stats, List<DestinationJson> destinations) {

        static ServiceJson of(ServiceView v) {
            Service s = v.entry().service();
            ServiceKey k = s.key();
            List<String> flags = new ArrayList<>(s.flags().size());
            for (ServiceFlag f : s.flags()) {
                flags.add(lower(f).replace('_', '-'));
            }
            List<String> schedulerFlags = null;
            if (ServiceText.hasSchedFlags(s)) {
                String named = ServiceText.schedFlags(s); // "" for sh/mh with only flag-3
                schedulerFlags = named.isEmpty() ? List.of() : List.of(named.split(","));
            }
            Persistence persistence = s.persistent() ? new Persistence(s.timeout(),
                    k.family() == AddressFamily.INET6 ? s.netmask() : ServiceText.dotted(s.netmask())) : null;
            List<DestinationJson> destinations = new ArrayList<>(v.destinations().size());
            for (DestinationEntry e : v.destinations()) {
                destinations.add(DestinationJson.of(e));
            }
            boolean fwmark = k.fwmarkBased();
            return new ServiceJson(familyName(k.family()), fwmark ? null : lower(k.protocol()),
                    fwmark ? null : Addresses.ntop(k.address()), fwmark ? null : k.port(),
                    fwmark ? k.fwmark() : null, s.scheduler(), flags, schedulerFlags, persistence,
                    s.persistenceEngine(), StatsJson.of(v.entry().stats()), destinations);
        }
    }

    /** {@code netmask}: dotted text for IPv4, the prefix length (a number) for IPv6. */
    record Persistence(long timeout, Object netmask) {
    }

    record DestinationJson(String family, String address, int port, String forwarding, int weight,
                           int upperThreshold, int lowerThreshold, Tunnel tunnel, long activeConnections,
                           long inactiveConnections, long persistentConnections, StatsJson stats) {

        static DestinationJson of(DestinationEntry e) {
            Destination d = e.destination();
            Tunnel tunnel = d.forwarding() == ForwardingMethod.TUNNEL
                    ? new Tunnel(lower(d.tunnelType()), d.tunnelPort(), lower(d.tunnelChecksum()))
                    : null;
            return new DestinationJson(familyName(d.family()), Addresses.ntop(d.address()), d.port(),
                    lower(d.forwarding()), d.weight(), d.upperThreshold(), d.lowerThreshold(), tunnel,
                    e.activeConnections(), e.inactiveConnections(), e.persistentConnections(), StatsJson.of(e.stats()));
        }
    }

    record Tunnel(String type, int port, String checksum) {
    }

    record StatsJson(@U64 long connections, @U64 long inPackets, @U64 long outPackets, @U64 long inBytes,
                     @U64 long outBytes, @U64 long connectionRate, @U64 long inPacketRate,
                     @U64 long outPacketRate, @U64 long inByteRate, @U64 long outByteRate) {

        static StatsJson of(Stats s) {
            return new StatsJson(s.connections(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes(),
                    s.connectionRate(), s.inPacketRate(), s.outPacketRate(), s.inByteRate(), s.outByteRate());
        }
    }

    record TimeoutsJson(Timeouts timeouts) {
    }

    record DaemonsJson(List<DaemonJson> daemons) {
    }

    /** {@code group} only when the kernel reports one. */
    record DaemonJson(String state, @JsonProperty("interface") String interfaceName, int syncId, int maxLength,
                      String group, int port, int ttl) {

        static DaemonJson of(SyncDaemon d) {
            return new DaemonJson(lower(d.state()), d.interfaceName(), d.syncId(), d.maxLength(),
                    d.group() == null ? null : Addresses.ntop(d.group()), d.port(), d.ttl());
        }
    }

    record ConnectionsJson(List<ConnectionJson> connections) {
    }

    /** {@code peName} and {@code peData} only when the kernel reports them. */
    record ConnectionJson(String protocol, Endpoint client, Endpoint virtual, Endpoint destination, String state,
                          long expires, String peName, String peData) {

        /** The whitespace-separated fields of one ip_vs_conn line (at least nine). */
        static ConnectionJson of(String[] f) {
            boolean pe = f.length >= 11;
            return new ConnectionJson(f[0].toLowerCase(Locale.ROOT), Endpoint.of(f[1], f[2]), Endpoint.of(f[3], f[4]),
                    Endpoint.of(f[5], f[6]), f[7], Long.parseLong(f[8]), pe ? f[9] : null, pe ? f[10] : null);
        }
    }

    record Endpoint(String address, int port) {

        static Endpoint of(String address, String hexPort) {
            return new Endpoint(Addresses.ntop(ConnectionFormatter.address(address)), Integer.parseInt(hexPort, 16));
        }
    }

    /** A kernel u64 counter, which a Java long holds in two's complement: written unsigned. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
    @JacksonAnnotationsInside
    @JsonSerialize(using = Unsigned64.class)
    @interface U64 {
    }

    static final class Unsigned64 extends StdSerializer<Long> {
        Unsigned64() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeNumber(Long.toUnsignedString(value));
        }
    }
}
