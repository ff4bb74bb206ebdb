package io.jipvs.control.metrics;

import io.jipvs.model.Addresses;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import io.jipvs.model.ServiceKey;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Locale;

/**
 * The labels of a service's and a real server's series. A firewall-mark service has protocol
 * {@code fwm}, its family's any-address and port 0, as the kernel keys it; an address service has
 * fwmark 0. Unnamed services have an empty {@code service} label (Prometheus treats it as absent).
 */
final class SeriesLabels {
    static final String[] SERVICE = {"service", "protocol", "address", "port", "fwmark"};
    static final String[] REAL_SERVER = {"service", "protocol", "address", "port", "fwmark",
            "real_server", "real_port", "forwarding"};

    private SeriesLabels() {
    }

    static String[] service(ServiceKey key, String name) {
        String n = name == null ? "" : name;
        if (key.fwmarkBased()) {
            String any = key.family() == AddressFamily.INET6 ? "::" : "0.0.0.0";
            return new String[] {n, "fwm", any, "0", Long.toString(key.fwmark())};
        }
        return new String[] {n, key.protocol().name().toLowerCase(Locale.ROOT), Addresses.ntop(key.address()),
                Integer.toString(key.port()), "0"};
    }

    static Labels of(String[] service) {
        return Labels.of(SERVICE, service);
    }

    static Labels of(String[] service, Destination d) {
        String[] values = new String[REAL_SERVER.length];
        System.arraycopy(service, 0, values, 0, service.length);
        values[5] = Addresses.ntop(d.address());
        values[6] = Integer.toString(d.port());
        values[7] = d.forwarding().name().toLowerCase(Locale.ROOT);
        return Labels.of(REAL_SERVER, values);
    }

    /**
     * A kernel u64 (carried in a long) as the double Prometheus stores: exact up to 2^53, the
     * nearest double above (the exposition format has no integers).
     */
    static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
