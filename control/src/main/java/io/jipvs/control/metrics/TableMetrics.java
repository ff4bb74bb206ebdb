package io.jipvs.control.metrics;

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
import java.util.function.Function;
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
        try (Ipvs ipvs = opener.get()) {
            return of(ipvs, totals.get(), names.get());
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
        Counter[] counters = Counter.values();
        CounterSnapshot.Builder[] global = new CounterSnapshot.Builder[counters.length];
        CounterSnapshot.Builder[] service = new CounterSnapshot.Builder[counters.length];
        CounterSnapshot.Builder[] real = new CounterSnapshot.Builder[counters.length];
        for (Counter c : counters) {
            global[c.ordinal()] = c.family("jipvs_ipvs_", "the kernel's totals over every service of the network namespace")
                    .dataPoint(point(Labels.EMPTY, c.of(totals)));
            service[c.ordinal()] = c.family("jipvs_service_", "per service");
            real[c.ordinal()] = c.family("jipvs_real_server_", "per real server");
        }
        GaugeSnapshot.Builder active = GaugeSnapshot.builder().name("jipvs_real_server_active_connections")
                .help("Connections in the ESTABLISHED state (the kernel's ActiveConn).");
        GaugeSnapshot.Builder inactive = GaugeSnapshot.builder().name("jipvs_real_server_inactive_connections")
                .help("Connections in any other state (the kernel's InActConn).");
        GaugeSnapshot.Builder persistent = GaugeSnapshot.builder().name("jipvs_real_server_persistent_connections")
                .help("Persistence templates that point at the real server.");
        GaugeSnapshot.Builder weight = GaugeSnapshot.builder().name("jipvs_real_server_weight")
                .help("The weight in the kernel (0: no new connections).");
        for (ServiceEntry s : ipvs.services()) {
            String[] sv = SeriesLabels.service(s.key(), names == null ? null : names.apply(s.key()));
            Labels sl = SeriesLabels.of(sv);
            for (Counter c : counters) {
                service[c.ordinal()].dataPoint(point(sl, c.of(s.stats())));
            }
            for (DestinationEntry d : ipvs.destinations(s.key())) {
                Labels dl = SeriesLabels.of(sv, d.destination());
                for (Counter c : counters) {
                    real[c.ordinal()].dataPoint(point(dl, c.of(d.stats())));
                }
                active.dataPoint(gauge(dl, d.activeConnections()));
                inactive.dataPoint(gauge(dl, d.inactiveConnections()));
                persistent.dataPoint(gauge(dl, d.persistentConnections()));
                weight.dataPoint(gauge(dl, d.destination().weight()));
            }
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        for (Counter c : counters) {
            out.metricSnapshot(global[c.ordinal()].build());
        }
        for (Counter c : counters) {
            out.metricSnapshot(service[c.ordinal()].build());
        }
        for (Counter c : counters) {
            out.metricSnapshot(real[c.ordinal()].build());
        }
        return out.metricSnapshot(active.build()).metricSnapshot(inactive.build()).metricSnapshot(persistent.build())
                .metricSnapshot(weight.build()).build();
    }

    private static CounterDataPointSnapshot point(Labels labels, long value) {
        return CounterDataPointSnapshot.builder().labels(labels).value(SeriesLabels.unsigned(value)).build();
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, long value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(SeriesLabels.unsigned(value)).build();
    }
}
