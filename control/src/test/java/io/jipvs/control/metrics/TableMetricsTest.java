package io.jipvs.control.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Stats;
import io.jipvs.netlink.nltest.MemoryIpvs;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableMetricsTest {
    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80);
    static final ServiceKey MARK = ServiceKey.ofFwmark(AddressFamily.INET6, 7);

    static String text(MetricSnapshots s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, s, EscapingScheme.UNDERSCORE_ESCAPING);
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> lines(String text, String metric) {
        return Arrays.stream(text.split("\n")).filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " ")).toList();
    }

    MemoryIpvs table() {
        Destination rs = Destination.of(Addresses.literal("10.0.0.11"), 8080).withForwarding(ForwardingMethod.MASQ).withWeight(3);
        MemoryIpvs t = new MemoryIpvs();
        t.addService(Service.builder(WEB).build());
        t.addDestination(WEB, rs);
        t.addService(Service.builder(MARK).build());
        Stats traffic = new Stats(5, 60, 50, 4000, 90000, 0, 0, 0, 0, 0);
        t.serviceStats.put(WEB, traffic);
        t.traffic(WEB, rs, 2, 1, traffic);
        return t;
    }

    @Test
    void everyServiceAndRealServerHasTheKernelsCountersWithTheSameLabels() throws IOException {
        String text = text(TableMetrics.of(table(), new Stats(9, 70, 60, 5000, 100000, 0, 0, 0, 0, 0),
                Map.of(WEB, "web")::get));
        // The client writes labels in alphabetical order.
        String web = "address=\"192.0.2.10\",fwmark=\"0\",port=\"80\",protocol=\"tcp\",service=\"web\"";
        String rs = "address=\"192.0.2.10\",forwarding=\"masq\",fwmark=\"0\",port=\"80\",protocol=\"tcp\","
                + "real_port=\"8080\",real_server=\"10.0.0.11\",service=\"web\"";
        assertEquals(List.of("jipvs_ipvs_incoming_bytes_total 5000.0"), lines(text, "jipvs_ipvs_incoming_bytes_total"));
        assertEquals(List.of("jipvs_service_connections_total{" + web + "} 5.0",
                "jipvs_service_connections_total{address=\"::\",fwmark=\"7\",port=\"0\",protocol=\"fwm\",service=\"\"} 0.0"),
                lines(text, "jipvs_service_connections_total"));
        assertEquals(List.of("jipvs_real_server_outgoing_bytes_total{" + rs + "} 90000.0"),
                lines(text, "jipvs_real_server_outgoing_bytes_total"));
        assertEquals(List.of("jipvs_real_server_active_connections{" + rs + "} 2.0"),
                lines(text, "jipvs_real_server_active_connections"));
        assertEquals(List.of("jipvs_real_server_weight{" + rs + "} 3.0"), lines(text, "jipvs_real_server_weight"));
        assertTrue(text.contains("# TYPE jipvs_real_server_incoming_packets_total counter\n"), text);
    }

    @Test
    void countersAboveTwoToTheSixtyThreeStayPositive() {
        assertEquals(1.8446744073709552E19, SeriesLabels.unsigned(-1L));
        assertEquals(9007199254740993.0, SeriesLabels.unsigned(9007199254740993L), "exact only to 2^53: the nearest double");
    }
}
