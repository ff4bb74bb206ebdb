package io.jipvs.control.metrics;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.health.HealthState;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.model.Destination;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;

/**
 * serve's own state as metrics: each checked real server's health, check durations, failures in
 * a row and last change; each supervised service's quorum; and the reconciles, drift repairs and
 * failed kernel changes so far. Real servers carry {@link TableMetrics}'s labels (forwarding as
 * the file configures it), so health joins the kernel's series.
 */
public final class ServeMetrics implements MultiCollector {
    private static final double[] BOUNDS;

    static {
        BOUNDS = new double[HealthState.DURATION_BOUNDS.size() + 1];
        for (int i = 0; i < HealthState.DURATION_BOUNDS.size(); i++) {
            BOUNDS[i] = HealthState.DURATION_BOUNDS.get(i);
        }
        BOUNDS[BOUNDS.length - 1] = Double.POSITIVE_INFINITY;
    }

    private final Supervisor supervisor;

    /**
     * A collector over a running supervisor.
     *
     * @param supervisor the supervisor
     */
    public ServeMetrics(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public MetricSnapshots collect() {
        Supervised file = supervisor.file();
        Map<Member, HealthState.Snapshot> health = supervisor.health();
        Map<Member, HealthState.Durations> durations = supervisor.durations();
        Map<io.jipvs.model.ServiceKey, Boolean> quorum = supervisor.quorum();
        Supervisor.Counts counts = supervisor.counts();

        GaugeSnapshot.Builder healthy = GaugeSnapshot.builder().name("jipvs_real_server_healthy")
                .help("1 when the real server's checks pass (up), 0 when they fail (down).");
        HistogramSnapshot.Builder took = HistogramSnapshot.builder().name("jipvs_real_server_check_duration_seconds")
                .unit(Unit.SECONDS).help("How long the real server's checks took.");
        GaugeSnapshot.Builder failures = GaugeSnapshot.builder().name("jipvs_real_server_consecutive_failures")
                .help("Checks failed in a row (fall of them take a server down).");
        GaugeSnapshot.Builder changed = GaugeSnapshot.builder().name("jipvs_real_server_last_change_timestamp_seconds")
                .unit(Unit.SECONDS).help("When the real server last went up or down (or serve started checking it).");
        GaugeSnapshot.Builder quorate = GaugeSnapshot.builder().name("jipvs_service_quorum_up")
                .help("1 while the service's healthy weight reaches its quorum, 0 while its sorry server (if any) serves.");
        if (file != null) {
            for (DesiredService s : file.state().services()) {
                if (!file.supervision().containsKey(s.key())) {
                    continue;
                }
                String[] sv = SeriesLabels.service(s.key(), s.name());
                Boolean q = quorum.get(s.key());
                if (q != null) {
                    quorate.dataPoint(gauge(SeriesLabels.of(sv), q ? 1 : 0));
                }
                for (Destination d : s.realServers()) {
                    Member m = new Member(s.key(), RealServerKey.of(d));
                    HealthState.Snapshot h = health.get(m);
                    if (h == null) {
                        continue;
                    }
                    Labels dl = SeriesLabels.of(sv, d);
                    healthy.dataPoint(gauge(dl, h.status() == HealthState.Status.UP ? 1 : 0));
                    failures.dataPoint(gauge(dl, h.failures()));
                    changed.dataPoint(gauge(dl, h.since().toEpochMilli() / 1000.0));
                    HealthState.Durations t = durations.get(m);
                    if (t != null) {
                        took.dataPoint(HistogramDataPointSnapshot.builder().labels(dl).sum(t.seconds())
                                .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, t.counts())).build());
                    }
                }
            }
        }
        return MetricSnapshots.builder()
                .metricSnapshot(healthy.build())
                .metricSnapshot(took.build())
                .metricSnapshot(failures.build())
                .metricSnapshot(changed.build())
                .metricSnapshot(quorate.build())
                .metricSnapshot(counter("jipvs_reconciles", "Reconciles run: each a kernel dump and the changes it needed.",
                        counts.reconciles()))
                .metricSnapshot(counter("jipvs_drift_repairs", "Kernel changes made by the periodic reconcile: drift repaired.",
                        counts.repairs()))
                .metricSnapshot(counter("jipvs_kernel_change_failures", "Kernel changes that failed.",
                        counts.failedChanges()))
                .build();
    }

    private static GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
