package io.jipvs.control.metrics;

import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsTotals;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;

/**
 * The kernel's IPVS table as metrics, from one dump per scrape: the namespace's totals, and per
 * service and per real server the kernel's counters (netlink's 64-bit stats) and, per real server,
 * its connection counts and weight. Names are under {@code jipvs_}; docs/metrics.md maps
 * node_exporter's {@code node_ipvs_*} to them.
 */
public final class TableMetrics implements MultiCollector {
    private final Supplier<Ipvs> opener;
    private final Supplier<Stats> totals;
    private final Supplier<Function<ServiceKey, String>> names;
    /** The labels of the last scrape's series: a table changes little between scrapes. */
    private final LabelCache labels = new LabelCache();
    private final java.util.concurrent.locks.ReentrantLock cacheLock = new java.util.concurrent.locks.ReentrantLock();

    /**
     * A collector that opens the table for each scrape, on the scraping thread (which must be in
     * the director's namespace), and closes it after.
     *
     * @param opener opens the table
     * @param totals reads the namespace's totals ({@link IpvsTotals#read()})
     * @param names  the names services have now (the file in force), null for unnamed
     */
    public TableMetrics(Supplier<Ipvs> opener, Supplier<Stats> totals, Supplier<Function<ServiceKey, String>> names) {
        this.opener = opener;
        this.totals = totals;
        this.names = names;
    }

    @Override
    public MetricSnapshots collect() {
        // A second scrape at the same time makes its labels afresh rather than wait.
        boolean mine = cacheLock.tryLock();
        try (Ipvs ipvs = opener.get()) {
            return of(ipvs, totals.get(), names.get(), mine ? labels : new LabelCache());
        } finally {
            if (mine) {
                cacheLock.unlock();
            }
        }
    }

    /** The five counters every level has: name suffix, help, unit, and which field. */
    private enum Counter {
        CONNECTIONS("connections", "Connections scheduled", null),
        IN_PACKETS("incoming_packets", "Packets from clients", null),
        OUT_PACKETS("outgoing_packets", "Packets to clients, through the director (NAT)", null),
        IN_BYTES("incoming_bytes", "Bytes from clients", Unit.BYTES),
        OUT_BYTES("outgoing_bytes", "Bytes to clients, through the director (NAT)", Unit.BYTES);

        final String suffix;
        final String help;
        final Unit unit;

        Counter(String suffix, String help, Unit unit) {
            this.suffix = suffix;
            this.help = help;
            this.unit = unit;
        }

        long of(Stats s) {
            return switch (this) {
                case CONNECTIONS -> s.connections();
                case IN_PACKETS -> s.inPackets();
                case OUT_PACKETS -> s.outPackets();
                case IN_BYTES -> s.inBytes();
                case OUT_BYTES -> s.outBytes();
            };
        }

        CounterSnapshot.Builder family(String prefix, String of) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(prefix + suffix).help(help + " (" + of + ").");
            return unit == null ? b : b.unit(unit);
        }
    }

    /**
     * The metrics of a table as dumped now.
     *
     * @param ipvs   the table
     * @param totals the namespace's totals ({@link IpvsTotals#read()})
     * @param names  service names, null for unnamed
     * @return the snapshots
     */
    public static MetricSnapshots of(Ipvs ipvs, Stats totals, Function<ServiceKey, String> names) {
        return of(ipvs, totals, names, new LabelCache());
    }

    /** A service's or real server's series: their labels, and what the kernel says of it. */
    private record Row(Labels labels, Stats stats, DestinationEntry destination) {
    }

    private static MetricSnapshots of(Ipvs ipvs, Stats totals, Function<ServiceKey, String> names, LabelCache cache) {
        // The rows in label order: the client sorts each family's points by their labels, and
        // finds them sorted in one pass instead of sorting them fourteen times.
        List<Row> services = new ArrayList<>();
        List<Row> reals = new ArrayList<>();
        for (ServiceEntry s : ipvs.services()) {
            String name = names == null ? null : names.apply(s.key());
            services.add(new Row(cache.service(s.key(), name), s.stats(), null));
            for (DestinationEntry d : ipvs.destinations(s.key())) {
                reals.add(new Row(cache.realServer(s.key(), name, d.destination()), d.stats(), d));
            }
        }
        cache.forgetUnused();
        services.sort(Comparator.comparing(Row::labels));
        reals.sort(Comparator.comparing(Row::labels));

        Counter[] counters = Counter.values();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Counter c : counters) {
            out.metricSnapshot(c.family("jipvs_ipvs_", "the kernel's totals over every service of the network namespace")
                    .dataPoint(point(Labels.EMPTY, c.of(totals))).build());
        }
        for (Counter c : counters) {
            CounterSnapshot.Builder b = c.family("jipvs_service_", "per service");
            services.forEach(r -> b.dataPoint(point(r.labels(), c.of(r.stats()))));
            out.metricSnapshot(b.build());
        }
        for (Counter c : counters) {
            CounterSnapshot.Builder b = c.family("jipvs_real_server_", "per real server");
            reals.forEach(r -> b.dataPoint(point(r.labels(), c.of(r.stats()))));
            out.metricSnapshot(b.build());
        }
        out.metricSnapshot(gauges(reals, "jipvs_real_server_active_connections",
                "Connections in the ESTABLISHED state (the kernel's ActiveConn).", DestinationEntry::activeConnections));
        out.metricSnapshot(gauges(reals, "jipvs_real_server_inactive_connections",
                "Connections in any other state (the kernel's InActConn).", DestinationEntry::inactiveConnections));
        out.metricSnapshot(gauges(reals, "jipvs_real_server_persistent_connections",
                "Persistence templates that point at the real server.", DestinationEntry::persistentConnections));
        out.metricSnapshot(gauges(reals, "jipvs_real_server_weight",
                "The weight in the kernel (0: no new connections).", d -> d.destination().weight()));
        return out.build();
    }

    private static GaugeSnapshot gauges(List<Row> reals, String name, String help, ToLongFunction<DestinationEntry> value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        reals.forEach(r -> b.dataPoint(gauge(r.labels(), value.applyAsLong(r.destination()))));
        return b.build();
    }

    /**
     * The labels of the series from one scrape to the next: made (and checked, and sorted by the
     * client) once per service and real server rather than once per scrape; those the table no
     * longer has are dropped at the end of each scrape.
     */
    static final class LabelCache {
        private record ServiceLabels(ServiceKey key, String name) {
        }

        private record RealServerLabels(ServiceKey key, String name, java.net.InetAddress address, int port,
                                        io.jipvs.model.ForwardingMethod forwarding) {
        }

        private Map<Object, Labels> last = new HashMap<>();
        private Map<Object, Labels> now = new HashMap<>();

        Labels service(ServiceKey key, String name) {
            return get(new ServiceLabels(key, name), () -> SeriesLabels.of(SeriesLabels.service(key, name)));
        }

        Labels realServer(ServiceKey key, String name, Destination d) {
            return get(new RealServerLabels(key, name, d.address(), d.port(), d.forwarding()),
                    () -> SeriesLabels.of(SeriesLabels.service(key, name), d));
        }

        private Labels get(Object key, Supplier<Labels> make) {
            Labels l = last.get(key);
            if (l == null) {
                l = make.get();
            }
            now.put(key, l);
            return l;
        }

        void forgetUnused() {
            last = now;
            now = new HashMap<>();
        }
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(SeriesLabels.unsigned(value)).build();
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, long value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(SeriesLabels.unsigned(value)).build();
    }
}
