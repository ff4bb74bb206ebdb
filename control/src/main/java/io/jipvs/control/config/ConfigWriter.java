package io.jipvs.control.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.health.CheckSpec;
import io.jipvs.control.health.CheckType;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
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
        return write(new Supervised(state, Map.of(), Supervised.DEFAULT_REPAIR_INTERVAL), format);
    }

    /**
     * The file with serve's keys: each service's checks and policies, written where they apply
     * (one check shared by every real server of a service is the service's), and only what
     * differs from the defaults.
     *
     * @param file   the state and its supervision
     * @param format YAML or JSON
     * @return the file's text, ending in a newline
     */
    public static String write(Supervised file, ConfigFormat format) {
        DesiredState state = file.state();
        Map<String, Object> top = new LinkedHashMap<>();
        putIf(top, "repairInterval", duration(file.repairInterval()),
                !file.repairInterval().equals(Supervised.DEFAULT_REPAIR_INTERVAL));
        List<Object> services = new ArrayList<>();
        for (DesiredService s : state.services()) {
            Map<String, Object> m = service(s);
            Supervision sup = file.supervision().get(s.key());
            if (sup != null) {
                supervision(m, s, sup);
            }
            services.add(m);
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
                m.putAll(channel(d));
                daemons.add(m);
            }
            top.put("syncDaemons", daemons);
        }
        if (file.syncPair() != null) {
            Map<String, Object> m = channel(file.syncPair().daemon(SyncState.BACKUP));
            putIf(m, "vip", file.syncPair().vip() == null ? null : Addresses.ntop(file.syncPair().vip()),
                    file.syncPair().vip() != null);
            top.put("syncDaemon", m);
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

    /** serve's keys of one service, after the apply keys (the check before the real servers). */
    @SuppressWarnings("unchecked")
    private static void supervision(Map<String, Object> m, DesiredService s, Supervision sup) {
        Object realServers = m.remove("realServers");
        CheckSpec shared = null;
        boolean same = !s.realServers().isEmpty();
        for (Destination d : s.realServers()) {
            Supervision.Policy p = sup.realServers().get(RealServerKey.of(d));
            CheckSpec c = p == null ? null : p.check();
            if (c == null || (shared != null && !shared.equals(c))) {
                same = false;
                break;
            }
            shared = c;
        }
        if (same) {
            m.put("check", check(shared));
        }
        putIf(m, "quorum", sup.quorum(), sup.quorum() != 1);
        putIf(m, "hysteresis", sup.hysteresis(), sup.hysteresis() != 0);
        if (sup.sorryServer() != null) {
            ForwardingMethod f = s.realServers().isEmpty() ? ForwardingMethod.ROUTE : s.realServers().get(0).forwarding();
            m.put("sorryServer", realServer(sup.sorryServer(), s.key(), s.snat() != null ? ForwardingMethod.MASQ : f));
        }
        putIf(m, "quorumUp", command(sup.quorumUp()), !sup.quorumUp().isEmpty());
        putIf(m, "quorumDown", command(sup.quorumDown()), !sup.quorumDown().isEmpty());
        putIf(m, "depoolThreshold", sup.depoolThreshold(), sup.depoolThreshold() != 1.0);
        if (realServers instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Map<String, Object> r = (Map<String, Object>) list.get(i);
                Supervision.Policy p = sup.realServers().get(RealServerKey.of(s.realServers().get(i)));
                if (p == null) {
                    continue;
                }
                putIf(r, "check", p.check() == null ? null : check(p.check()), !same && p.check() != null);
                putIf(r, "inhibitOnFailure", true, p.inhibitOnFailure());
                putIf(r, "slowStart", duration(p.slowStart()), !p.slowStart().isZero());
                putIf(r, "notifyUp", command(p.notifyUp()), !p.notifyUp().isEmpty());
                putIf(r, "notifyDown", command(p.notifyDown()), !p.notifyDown().isEmpty());
            }
            m.put("realServers", list);
        }
    }

    private static Map<String, Object> check(CheckSpec c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", c.type().word());
        putIf(m, "interval", duration(c.interval()), !c.interval().equals(CheckSpec.DEFAULT_INTERVAL));
        putIf(m, "timeout", duration(c.timeout()), !c.timeout().equals(CheckSpec.DEFAULT_TIMEOUT));
        putIf(m, "fall", c.fall(), c.fall() != CheckSpec.DEFAULT_FALL);
        putIf(m, "rise", c.rise(), c.rise() != CheckSpec.DEFAULT_RISE);
        putIf(m, "delayBeforeRetry", duration(c.delayBeforeRetry()),
                !c.delayBeforeRetry().equals(CheckSpec.DEFAULT_DELAY_BEFORE_RETRY));
        putIf(m, "warmup", duration(c.warmup()), !c.warmup().equals(c.interval()));
        putIf(m, "alpha", true, c.alpha());
        putIf(m, "connectTo", c.connectTo() == null ? null : Addresses.ntop(c.connectTo()), c.connectTo() != null);
        putIf(m, "port", c.port(), c.port() != 0);
        putIf(m, "bindTo", c.bindTo() == null ? null : Addresses.ntop(c.bindTo()), c.bindTo() != null);
        if (c.http() != null) {
            CheckSpec.Http h = c.http();
            putIf(m, "method", h.method(), !h.method().equals("GET"));
            putIf(m, "path", h.path(), !h.path().equals("/"));
            putIf(m, "host", h.host(), h.host() != null);
            putIf(m, "expect", h.expect().stream().map(r -> r.low() == r.high() ? (Object) r.low() : r.toString()).toList(),
                    !h.expect().equals(CheckSpec.Http.DEFAULT_EXPECT));
            putIf(m, "regex", h.regex(), h.regex() != null);
            putIf(m, "digest", h.digest(), h.digest() != null);
            putIf(m, "tlsVerify", false, c.type() == CheckType.HTTPS && !h.tlsVerify());
            putIf(m, "sni", h.sni(), h.sni() != null);
        }
        if (c.udp() != null) {
            putIf(m, "payload", c.udp().payload(), !c.udp().payload().isEmpty());
            putIf(m, "requireReply", true, c.udp().requireReply());
        }
        if (c.dns() != null) {
            putIf(m, "name", c.dns().name(), !c.dns().name().equals("."));
            putIf(m, "queryType", c.dns().queryType(), !c.dns().queryType().equals("SOA"));
            putIf(m, "rcode", c.dns().rcode(), !c.dns().rcode().equals("NOERROR"));
        }
        if (c.exec() != null) {
            m.put("command", command(c.exec().command()));
            putIf(m, "dynamic", true, c.exec().dynamic());
        }
        return m;
    }

    /** A program as the file takes it back: the text of a /bin/sh -c command, else the list. */
    private static Object command(List<String> argv) {
        if (argv.size() == 3 && argv.get(0).equals("/bin/sh") && argv.get(1).equals("-c")) {
            return argv.get(2);
        }
        return argv;
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

    /** A sync daemon's channel: what syncDaemons[] and syncDaemon share. */
    private static Map<String, Object> channel(SyncDaemon d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interface", d.interfaceName());
        putIf(m, "syncId", d.syncId(), d.syncId() != 0);
        putIf(m, "maxlen", d.maxLength(), d.maxLength() != 0);
        putIf(m, "group", d.group() == null ? null : Addresses.ntop(d.group()), d.group() != null);
        putIf(m, "port", d.port(), d.port() != 0);
        putIf(m, "ttl", d.ttl(), d.ttl() != 0);
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value, boolean when) {
        if (when) {
            m.put(key, value);
        }
    }
}
