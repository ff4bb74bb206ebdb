package io.jipvs.control.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a desired state as a file {@link ConfigReader} reads back to the same state: only what
 * differs from the defaults, keys in the documented order.
 */
public final class ConfigWriter {
    /** The kernel's timeouts until someone sets them (tcp 15 min, tcpfin 2 min, udp 5 min). */
    private static final Timeouts KERNEL_TIMEOUTS = new Timeouts(900, 120, 300);

    private ConfigWriter() {
    }

    /**
     * The file: only what differs from the defaults is written. Timeouts equal to the kernel's
     * defaults and an empty list of sync daemons are left out, as a file that does not mention
     * them leaves them as they are.
     *
     * @param state  the state
     * @param format YAML or JSON
     * @return the file's text, ending in a newline
     */
    public static String write(DesiredState state, ConfigFormat format) {
        Map<String, Object> top = new LinkedHashMap<>();
        List<Object> services = new ArrayList<>();
        for (DesiredService s : state.services()) {
            services.add(service(s));
        }
        top.put("services", services);
        if (state.timeouts() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            Timeouts v = state.timeouts();
            putIf(t, "tcp", v.tcp(), v.tcp() != 0 && v.tcp() != KERNEL_TIMEOUTS.tcp());
            putIf(t, "tcpFin", v.tcpFin(), v.tcpFin() != 0 && v.tcpFin() != KERNEL_TIMEOUTS.tcpFin());
            putIf(t, "udp", v.udp(), v.udp() != 0 && v.udp() != KERNEL_TIMEOUTS.udp());
            if (!t.isEmpty()) {
                top.put("timeouts", t);
            }
        }
        if (state.syncDaemons() != null && !state.syncDaemons().isEmpty()) {
            List<Object> daemons = new ArrayList<>();
            for (SyncDaemon d : state.syncDaemons()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("state", d.state().name().toLowerCase(Locale.ROOT));
                m.put("interface", d.interfaceName());
                putIf(m, "syncId", d.syncId(), d.syncId() != 0);
                putIf(m, "maxlen", d.maxLength(), d.maxLength() != 0);
                putIf(m, "group", d.group() == null ? null : Addresses.ntop(d.group()), d.group() != null);
                putIf(m, "port", d.port(), d.port() != 0);
                putIf(m, "ttl", d.ttl(), d.ttl() != 0);
                daemons.add(m);
            }
            top.put("syncDaemons", daemons);
        }
        if (!state.sysctls().isEmpty()) {
            top.put("sysctls", new LinkedHashMap<>(state.sysctls()));
        }
        try {
            if (format == ConfigFormat.JSON) {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(top) + "\n";
            }
            YAMLFactory yaml = YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build();
            return new ObjectMapper(yaml).writeValueAsString(top);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> service(DesiredService desired) {
        Service s = desired.service();
        ServiceKey key = s.key();
        Map<String, Object> m = new LinkedHashMap<>();
        putIf(m, "name", desired.name(), desired.name() != null);
        if (key.fwmarkBased()) {
            m.put("fwmark", key.fwmark());
            putIf(m, "family", "inet6", key.family() == AddressFamily.INET6);
        } else {
            m.put("protocol", key.protocol().name().toLowerCase(Locale.ROOT));
            m.put("address", Addresses.ntop(key.address()));
            m.put("port", key.port());
        }
        putIf(m, "scheduler", s.scheduler(), !s.scheduler().equals(Service.DEFAULT_SCHEDULER));
        List<String> flags = new ArrayList<>();
        String prefix = s.scheduler().equals("sh") || s.scheduler().equals("mh") ? s.scheduler() : null;
        if (s.flags().contains(ServiceFlag.SCHED1)) {
            flags.add(prefix == null ? "flag-1" : prefix + "-fallback");
        }
        if (s.flags().contains(ServiceFlag.SCHED2)) {
            flags.add(prefix == null ? "flag-2" : prefix + "-port");
        }
        if (s.flags().contains(ServiceFlag.SCHED3)) {
            flags.add("flag-3");
        }
        putIf(m, "schedulerFlags", flags, !flags.isEmpty());
        if (s.persistent()) {
            Map<String, Object> p = new LinkedHashMap<>();
            putIf(p, "timeout", s.timeout(), s.timeout() != Service.DEFAULT_PERSISTENT_TIMEOUT);
            if (s.netmask() != Service.fullNetmask(key.family())) {
                p.put("netmask", key.family() == AddressFamily.INET6 ? (Object) s.netmask() : dotted(s.netmask()));
            }
            m.put("persistence", p);
        }
        putIf(m, "onePacket", true, s.flags().contains(ServiceFlag.ONE_PACKET));
        putIf(m, "persistenceEngine", s.persistenceEngine(), s.persistenceEngine() != null);
        ForwardingMethod shared = null;
        for (Destination d : desired.realServers()) {
            if (shared == null) {
                shared = d.forwarding();
            } else if (shared != d.forwarding()) {
                shared = ForwardingMethod.ROUTE; // mixed: each real server says its own
                break;
            }
        }
        ForwardingMethod serviceForwarding = shared == null ? ForwardingMethod.ROUTE : shared;
        if (desired.snat() != null) {
            // FULLNAT: its real servers are masquerading ones unless they say otherwise.
            serviceForwarding = ForwardingMethod.MASQ;
            m.put("forwarding", "fullnat");
            List<String> pool = desired.snat().pool().stream().map(Addresses::ntop).toList();
            putIf(m, "snatAddresses", pool, !pool.isEmpty());
        } else {
            putIf(m, "forwarding", name(serviceForwarding), !name(serviceForwarding).equals("dr"));
        }
        Duration drain = desired.drainTimeout();
        putIf(m, "drainTimeout", drain == null ? null : duration(drain), drain != null);
        if (!desired.realServers().isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Destination d : desired.realServers()) {
                list.add(realServer(d, key, serviceForwarding));
            }
            m.put("realServers", list);
        }
        return m;
    }

    private static Map<String, Object> realServer(Destination d, ServiceKey service, ForwardingMethod serviceForwarding) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", Addresses.ntop(d.address()));
        putIf(m, "port", d.port(), d.port() != service.port());
        putIf(m, "weight", d.weight(), d.weight() != 1);
        putIf(m, "forwarding", name(d.forwarding()), !name(d.forwarding()).equals(name(serviceForwarding)));
        boolean tunnelSet = d.tunnelType() != TunnelType.IPIP || d.tunnelPort() != 0
                || d.tunnelChecksum() != TunnelChecksum.NOCSUM;
        if (tunnelSet) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("type", d.tunnelType().name().toLowerCase(Locale.ROOT));
            putIf(t, "port", d.tunnelPort(), d.tunnelPort() != 0);
            putIf(t, "checksum", d.tunnelChecksum().name().toLowerCase(Locale.ROOT),
                    d.tunnelChecksum() != TunnelChecksum.NOCSUM);
            m.put("tunnel", t);
        }
        putIf(m, "upperThreshold", d.upperThreshold(), d.upperThreshold() != 0);
        putIf(m, "lowerThreshold", d.lowerThreshold(), d.lowerThreshold() != 0);
        return m;
    }

    /**
     * The file's word for a forwarding method. The kernel reports LOCAL for a real server whose
     * address is the director's own, whatever method it was given; "dr" reads back to a method
     * the kernel turns into LOCAL again, and the planner takes LOCAL as matching any method.
     */
    private static String name(ForwardingMethod f) {
        return switch (f) {
            case TUNNEL -> "tun";
            case MASQ -> "nat";
            case ROUTE, LOCAL, BYPASS -> "dr";
        };
    }

    private static String dotted(long mask) {
        return ((mask >> 24) & 0xFF) + "." + ((mask >> 16) & 0xFF) + "." + ((mask >> 8) & 0xFF) + "." + (mask & 0xFF);
    }

    private static String duration(Duration d) {
        if (d.getNano() != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }

    private static void putIf(Map<String, Object> m, String key, Object value, boolean when) {
        if (when) {
            m.put(key, value);
        }
    }
}
