package io.jipvs.control.config.keepalived;

import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.SyncPair;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.health.CheckSpec;
import io.jipvs.control.health.CheckType;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads keepalived.conf's LVS half into jipvs's desired state, with keepalived's defaults (a
 * missing {@code protocol} is UDP, {@code lb_kind} NAT, {@code lb_algo} wlc, {@code delay_loop}
 * 60 s, {@code connect_timeout} 5 s, {@code retry} 1 (DNS 3, MISC 0), {@code delay_before_retry}
 * 1 s (HTTP and SSL 3 s, DNS the delay_loop), {@code warmup} the delay_loop, a bare
 * {@code persistence_timeout} 360 s). Values are given where keepalived's apply, at the checker,
 * the real server or the virtual server. What jipvs does not carry over is one warning each; VRRP
 * blocks are one note each. docs/serve.md has the mapping.
 */
public final class KeepalivedReader {
    /**
     * What was read.
     *
     * @param file     the desired state and its checks
     * @param warnings one per keyword not carried over, in file order
     */
    public record Result(Supervised file, List<ConfigError> warnings) {
    }

    private static final Set<String> VRRP = Set.of("vrrp_instance", "vrrp_sync_group", "vrrp_script",
            "vrrp_track_process", "vrrp_track_file", "static_ipaddress", "static_routes", "static_rules",
            "bfd_instance", "track_file", "garp_group", "linkbeat_use_polling", "net_namespace");
    private static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "DNS_CHECK",
            "UDP_CHECK", "SMTP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK");

    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();
    private final Map<String, Block> groups = new HashMap<>();
    private final Map<String, Block> instances = new HashMap<>();
    private SyncPair syncPair;

    private KeepalivedReader() {
    }

    /**
     * Reads a keepalived.conf.
     *
     * @param source  its name for messages
     * @param content its bytes
     * @param base    the directory its includes are relative to, or null (standard input)
     * @return the desired state and the warnings
     * @throws ConfigException with every error, when a value cannot be carried over at all
     */
    public static Result read(String source, byte[] content, Path base) {
        KeepalivedReader r = new KeepalivedReader();
        List<Block> top = Lexer.parse(source, content, base);
        Timeouts timeouts = null;
        List<DesiredService> services = new ArrayList<>();
        Map<ServiceKey, Supervision> supervision = new LinkedHashMap<>();
        for (Block b : top) {
            if (b.keyword().equals("virtual_server_group") && b.arg(1) != null && b.children() != null) {
                r.groups.put(b.arg(1), b);
            }
            if (b.keyword().equals("vrrp_instance") && b.arg(1) != null) {
                r.instances.put(b.arg(1), b);
            }
        }
        for (Block b : top) {
            switch (b.keyword()) {
                case "global_defs" -> timeouts = r.globals(b);
                case "virtual_server_group" -> {
                    // Read where a virtual_server names it.
                }
                case "virtual_server" -> r.virtualServer(b, services, supervision);
                default -> {
                    if (VRRP.contains(b.keyword())) {
                        r.warn(b, b.keyword(), "not converted: VRRP and its tracking stay with keepalived");
                    } else {
                        r.warn(b, b.keyword(), "unknown keyword, not carried over");
                    }
                }
            }
        }
        if (!r.errors.isEmpty()) {
            throw new ConfigException(r.errors);
        }
        DesiredState state;
        try {
            state = new DesiredState(services, timeouts, null, Map.of());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(source, 0, 0, "", e.getMessage())));
        }
        return new Result(new Supervised(state, supervision, Supervised.DEFAULT_REPAIR_INTERVAL, r.syncPair), r.warnings);
    }

    private Timeouts globals(Block g) {
        Timeouts out = null;
        for (Block b : children(g)) {
            if (b.keyword().equals("lvs_timeouts")) {
                int[] v = new int[3];
                for (int i = 1; i + 1 < b.words().size(); i += 2) {
                    int idx = switch (b.arg(i)) {
                        case "tcp" -> 0;
                        case "tcpfin" -> 1;
                        case "udp" -> 2;
                        default -> -1;
                    };
                    Long n = number(b, i + 1, 1, Integer.MAX_VALUE / 1000, "global_defs");
                    if (idx < 0) {
                        error(b, "global_defs.lvs_timeouts", "unknown timeout '" + b.arg(i) + "' (tcp, tcpfin, udp)");
                    } else if (n != null) {
                        v[idx] = n.intValue();
                    }
                }
                out = new Timeouts(v[0], v[1], v[2]);
            } else if (b.keyword().equals("lvs_sync_daemon")) {
                syncPair = syncDaemon(b);
            } else if (b.keyword().startsWith("lvs_flush")) {
                warn(b, "global_defs", b.keyword() + " not carried over: jipvs never deletes what it did not create"
                        + " (serve --flush-on-exit deletes what it did)");
            } else if (b.keyword().startsWith("lvs_")) {
                warn(b, "global_defs", b.keyword() + " not carried over");
            }
            // The rest of global_defs (router_id, notification_email, ...) is not about LVS.
        }
        return out;
    }

    // ------------------------------------------------------------------ virtual servers

    /** The virtual server's keys as written; real servers and their checks read them for defaults. */
    private static final class Vs {
        String path;
        Protocol protocol;
        boolean protocolSet;
        String scheduler = "wlc";
        EnumSet<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
        Long persistence;
        Long netmask;
        String engine;
        ForwardingMethod forwarding = ForwardingMethod.MASQ;
        TunnelType tunnelType = TunnelType.IPIP;
        int tunnelPort;
        TunnelChecksum checksum = TunnelChecksum.NOCSUM;
        long weight = 1;
        long quorum = 1;
        long hysteresis;
        List<String> quorumUp = List.of();
        List<String> quorumDown = List.of();
        Block sorry;
        ForwardingMethod sorryForwarding;
        boolean inhibit;
        Timing timing = new Timing();
        String virtualhost;
        AddressFamily family = AddressFamily.INET;
        List<Block> realServers = new ArrayList<>();
    }

    /** delay_loop, connect_timeout, retry, delay_before_retry, warmup and alpha at one level, null where unset. */
    private static final class Timing {
        Duration delayLoop;
        Duration connectTimeout;
        Long retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Boolean alpha;

        Timing over(Timing outer) {
            Timing t = new Timing();
            t.delayLoop = delayLoop != null ? delayLoop : outer.delayLoop;
            t.connectTimeout = connectTimeout != null ? connectTimeout : outer.connectTimeout;
            t.retry = retry != null ? retry : outer.retry;
            t.delayBeforeRetry = delayBeforeRetry != null ? delayBeforeRetry : outer.delayBeforeRetry;
            t.warmup = warmup != null ? warmup : outer.warmup;
            t.alpha = alpha != null ? alpha : outer.alpha;
            return t;
        }
    }

    private void virtualServer(Block b, List<DesiredService> services, Map<ServiceKey, Supervision> supervision) {
        Vs vs = new Vs();
        vs.path = b.label();
        for (Block k : children(b)) {
            vsKeyword(vs, k);
        }
        List<ServiceKey> keys = keys(b, vs);
        if (keys.size() > 1) {
            warn(b, vs.path, "each of the group's " + keys.size() + " entries becomes a service of its own, with"
                    + " its own checks of the same real servers");
        }
        for (ServiceKey key : keys) {
            service(vs, key, services, supervision);
        }
    }

    private void vsKeyword(Vs vs, Block k) {
        String p = vs.path;
        switch (k.keyword()) {
            case "lb_algo", "lvs_sched" -> vs.scheduler = word(k, p);
            case "lb_kind", "lvs_method" -> method(k, p, vs);
            case "persistence_timeout" -> vs.persistence = k.arg(1) == null ? Long.valueOf(360)
                    : number(k, 1, 1, 31L * 24 * 3600, p);
            case "persistence_granularity" -> vs.netmask = netmask(k, p);
            case "persistence_engine" -> vs.engine = word(k, p);
            case "protocol" -> {
                String w = word(k, p);
                if (w != null) {
                    switch (w.toUpperCase(Locale.ROOT)) {
                        case "TCP" -> vs.protocol = Protocol.TCP;
                        case "UDP" -> vs.protocol = Protocol.UDP;
                        case "SCTP" -> vs.protocol = Protocol.SCTP;
                        default -> error(k, p, "protocol must be TCP, UDP or SCTP");
                    }
                    vs.protocolSet = true;
                }
            }
            case "quorum" -> vs.quorum = orDefault(number(k, 1, 0, Integer.MAX_VALUE, p), 1);
            case "hysteresis" -> vs.hysteresis = orDefault(number(k, 1, 0, Integer.MAX_VALUE, p), 0);
            case "quorum_up" -> vs.quorumUp = script(k, p);
            case "quorum_down" -> vs.quorumDown = script(k, p);
            case "sorry_server" -> vs.sorry = k;
            case "sorry_server_lvs_method" -> vs.sorryForwarding = forwarding(k.arg(1), k, p);
            case "inhibit_on_failure" -> vs.inhibit = true;
            case "virtualhost" -> vs.virtualhost = word(k, p);
            case "weight" -> vs.weight = orDefault(number(k, 1, 0, Integer.MAX_VALUE, p), 1);
            case "ops" -> vs.flags.add(ServiceFlag.ONE_PACKET);
            case "flag-1", "sh-fallback", "mh-fallback" -> vs.flags.add(ServiceFlag.SCHED1);
            case "flag-2", "sh-port", "mh-port" -> vs.flags.add(ServiceFlag.SCHED2);
            case "flag-3" -> vs.flags.add(ServiceFlag.SCHED3);
            case "ip_family" -> vs.family = "inet6".equals(k.arg(1)) ? AddressFamily.INET6 : AddressFamily.INET;
            case "real_server" -> vs.realServers.add(k);
            default -> {
                if (!timing(k, vs.timing, p)) {
                    warn(k, p, k.keyword() + " not carried over");
                }
            }
        }
    }

    /** The services a virtual_server stands for: one, or one per entry of its group. */
    private List<ServiceKey> keys(Block b, Vs vs) {
        List<ServiceKey> out = new ArrayList<>();
        if ("fwmark".equals(b.arg(1))) {
            Long mark = number(b, 2, 1, 0xFFFF_FFFFL, vs.path);
            if (mark != null) {
                out.add(ServiceKey.ofFwmark(vs.family, mark));
            }
            return out;
        }
        if ("group".equals(b.arg(1))) {
            Block g = groups.get(b.arg(2));
            if (g == null) {
                error(b, vs.path, "no virtual_server_group named " + b.arg(2));
                return out;
            }
            for (Block e : children(g)) {
                if (e.keyword().equals("fwmark")) {
                    Long mark = number(e, 1, 1, 0xFFFF_FFFFL, g.label());
                    if (mark != null) {
                        AddressFamily f = "inet6".equals(e.arg(2)) ? AddressFamily.INET6 : vs.family;
                        out.add(ServiceKey.ofFwmark(f, mark));
                    }
                    continue;
                }
                for (InetAddress a : range(e, g.label())) {
                    Long port = e.arg(1) == null ? Long.valueOf(0) : number(e, 1, 0, 0xFFFF, g.label());
                    if (port != null) {
                        out.add(ServiceKey.of(protocol(b, vs), a, port.intValue()));
                    }
                }
            }
            return out;
        }
        InetAddress a = address(b.arg(1), b, vs.path);
        Long port = b.arg(2) == null ? Long.valueOf(0) : number(b, 2, 0, 0xFFFF, vs.path);
        if (a != null && port != null) {
            out.add(ServiceKey.of(protocol(b, vs), a, port.intValue()));
        }
        return out;
    }

    private Protocol protocol(Block b, Vs vs) {
        if (!vs.protocolSet) {
            warn(b, vs.path, "no protocol set: UDP, as keepalived defaults to");
            vs.protocolSet = true;
            vs.protocol = Protocol.UDP;
        }
        return vs.protocol == null ? Protocol.UDP : vs.protocol;
    }

    /** a.b.c.d, a.b.c.d-e (the last byte), or a.b.c.d/nn as keepalived's groups write them. */
    private List<InetAddress> range(Block e, String path) {
        String w = e.keyword();
        int dash = w.indexOf('-');
        int slash = w.indexOf('/');
        if (dash > 0 && w.indexOf('.') > 0) {
            InetAddress first = address(w.substring(0, dash), e, path);
            String last = w.substring(dash + 1);
            if (first == null || !last.matches("\\d{1,3}") || Integer.parseInt(last) > 255) {
                error(e, path, "not an address range: " + w);
                return List.of();
            }
            byte[] b = first.getAddress();
            List<InetAddress> out = new ArrayList<>();
            for (int i = b[3] & 0xFF; i <= Integer.parseInt(last); i++) {
                b[3] = (byte) i;
                out.add(Addresses.of(b.clone()));
            }
            return out;
        }
        if (slash > 0) {
            error(e, path, "address prefixes in groups are not carried over: list the addresses (" + w + ")");
            return List.of();
        }
        InetAddress a = address(w, e, path);
        return a == null ? List.of() : List.of(a);
    }

    private void service(Vs vs, ServiceKey key, List<DesiredService> services, Map<ServiceKey, Supervision> supervision) {
        EnumSet<ServiceFlag> flags = EnumSet.copyOf(vs.flags.isEmpty() ? EnumSet.noneOf(ServiceFlag.class) : vs.flags);
        long timeout = 0;
        long netmask = Service.fullNetmask(key.family());
        Long persistence = vs.persistence;
        if (persistence == null && !key.fwmarkBased() && key.port() == 0) {
            persistence = Service.DEFAULT_PERSISTENT_TIMEOUT; // keepalived: port 0 forces persistence
        }
        if (persistence != null) {
            flags.add(ServiceFlag.PERSISTENT);
            timeout = persistence;
            if (vs.netmask != null) {
                netmask = vs.netmask;
            }
        }
        Service service = new Service(key, vs.scheduler == null ? "wlc" : vs.scheduler, flags, timeout, netmask, vs.engine);
        List<Destination> realServers = new ArrayList<>();
        Map<RealServerKey, Supervision.Policy> policies = new HashMap<>();
        for (Block rs : vs.realServers) {
            realServer(rs, vs, key, realServers, policies);
        }
        Destination sorry = null;
        if (vs.sorry != null) {
            InetAddress a = address(vs.sorry.arg(1), vs.sorry, vs.path);
            Long port = vs.sorry.arg(2) == null ? Long.valueOf(key.port()) : number(vs.sorry, 2, 0, 0xFFFF, vs.path);
            if (a != null && port != null) {
                sorry = new Destination(a, port.intValue(), vs.sorryForwarding != null ? vs.sorryForwarding
                        : vs.forwarding, 1, 0, 0, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM);
            }
        }
        long hysteresis = Math.min(vs.hysteresis, Math.max(0, vs.quorum - 1));
        services.add(new DesiredService(null, service, null, realServers));
        supervision.put(key, new Supervision(vs.quorum, hysteresis, sorry, vs.quorumUp, vs.quorumDown, 1.0, policies));
    }

    private void realServer(Block rs, Vs vs, ServiceKey service, List<Destination> out,
                            Map<RealServerKey, Supervision.Policy> policies) {
        String p = vs.path + " > " + rs.label();
        InetAddress a = address(rs.arg(1), rs, p);
        Long port = rs.arg(2) == null ? Long.valueOf(service.fwmarkBased() ? 0 : service.port())
                : number(rs, 2, 0, 0xFFFF, p);
        if (a == null || port == null) {
            return;
        }
        long weight = vs.weight;
        boolean inhibit = vs.inhibit;
        List<String> up = List.of();
        List<String> down = List.of();
        long upper = 0;
        long lower = 0;
        ForwardingMethod forwarding = vs.forwarding;
        Timing timing = new Timing();
        String virtualhost = vs.virtualhost;
        List<Block> checkers = new ArrayList<>();
        for (Block k : children(rs)) {
            switch (k.keyword()) {
                case "weight" -> weight = orDefault(number(k, 1, 0, Integer.MAX_VALUE, p), 1);
                case "inhibit_on_failure" -> inhibit = true;
                case "notify_up" -> up = script(k, p);
                case "notify_down" -> down = script(k, p);
                case "uthreshold" -> upper = orDefault(number(k, 1, 0, Integer.MAX_VALUE, p), 0);
                case "lthreshold" -> lower = orDefault(number(k, 1, 0, Integer.MAX_VALUE, p), 0);
                case "lvs_method", "lb_kind" -> forwarding = forwarding(k.arg(1), k, p);
                case "virtualhost" -> virtualhost = word(k, p);
                default -> {
                    if (CHECKERS.contains(k.keyword())) {
                        checkers.add(k);
                    } else if (!timing(k, timing, p)) {
                        warn(k, p, k.keyword() + " not carried over");
                    }
                }
            }
        }
        if (forwarding == null) {
            return;
        }
        CheckSpec check = null;
        for (Block c : checkers) {
            if (check != null) {
                warn(c, p, c.keyword() + " not carried over: jipvs runs one check per real server (keepalived"
                        + " needs every checker to pass)");
                continue;
            }
            check = checker(c, p + " > " + c.keyword(), timing.over(vs.timing), virtualhost);
        }
        if (check != null && check.port() == 0 && port == 0 && check.type() != CheckType.EXEC) {
            error(rs, p, "the real server has no port: its " + checkers.get(0).keyword() + " needs connect_port");
        }
        Destination d = new Destination(a, port.intValue(), forwarding, (int) weight, (int) upper, (int) lower,
                forwarding == ForwardingMethod.TUNNEL ? vs.tunnelType : TunnelType.IPIP,
                forwarding == ForwardingMethod.TUNNEL ? vs.tunnelPort : 0,
                forwarding == ForwardingMethod.TUNNEL ? vs.checksum : TunnelChecksum.NOCSUM);
        RealServerKey key = RealServerKey.of(d);
        if (policies.containsKey(key)) {
            warn(rs, p, "duplicate real server dropped, as keepalived does");
            return;
        }
        out.add(d);
        policies.put(key, new Supervision.Policy(check, inhibit, Duration.ZERO, up, down));
    }

    // ------------------------------------------------------------------ checkers

    private CheckSpec checker(Block c, String p, Timing outer, String virtualhost) {
        Timing own = new Timing();
        java.net.InetAddress connectTo = null;
        int port = 0;
        java.net.InetAddress bindTo = null;
        CheckType type;
        switch (c.keyword()) {
            case "TCP_CHECK" -> type = CheckType.TCP;
            case "HTTP_GET" -> type = CheckType.HTTP;
            case "SSL_GET" -> type = CheckType.HTTPS;
            case "MISC_CHECK" -> type = CheckType.EXEC;
            case "DNS_CHECK" -> type = CheckType.DNS;
            case "UDP_CHECK" -> type = CheckType.UDP;
            default -> {
                warn(c, p, c.keyword() + " not carried over: jipvs has no such check");
                return null;
            }
        }
        String path = null;
        String digest = null;
        String regex = null;
        String host = virtualhost;
        List<CheckSpec.StatusRange> codes = new ArrayList<>();
        boolean sni = false;
        String sniName = null;
        List<String> command = null;
        Duration miscTimeout = null;
        boolean dynamic = false;
        String dnsType = "SOA";
        String dnsName = ".";
        String payload = "";
        boolean requireReply = false;
        int urls = 0;
        for (Block k : children(c)) {
            switch (k.keyword()) {
                case "connect_ip" -> connectTo = address(k.arg(1), k, p);
                case "connect_port" -> port = (int) orDefault(number(k, 1, 1, 0xFFFF, p), 0);
                case "bindto" -> bindTo = address(k.arg(1), k, p);
                case "nb_get_retry" -> own.retry = number(k, 1, 0, 1000, p);
                case "url" -> {
                    if (++urls > 1) {
                        warn(k, p, "url not carried over: jipvs checks one url (keepalived needs each to pass)");
                        continue;
                    }
                    for (Block u : children(k)) {
                        switch (u.keyword()) {
                            case "path" -> path = u.arg(1);
                            case "digest" -> digest = u.arg(1);
                            case "status_code" -> {
                                for (int i = 1; i < u.words().size(); i++) {
                                    String w = u.arg(i);
                                    String[] lohi = w.split("-", 2);
                                    try {
                                        int lo = Integer.parseInt(lohi[0]);
                                        int hi = lohi.length == 2 ? Integer.parseInt(lohi[1]) : lo;
                                        codes.add(new CheckSpec.StatusRange(lo, hi));
                                    } catch (NumberFormatException e) {
                                        error(u, p + " > url", "status_code must be a code or a range: " + w);
                                    }
                                }
                            }
                            case "regex" -> regex = u.arg(1);
                            case "virtualhost" -> host = u.arg(1);
                            default -> warn(u, p + " > url", u.keyword() + " not carried over");
                        }
                    }
                }
                case "enable_sni" -> sni = true;
                case "sni_name" -> sniName = u1(k);
                case "misc_path" -> command = script(k, p);
                case "misc_timeout" -> miscTimeout = seconds(k, p);
                case "misc_dynamic" -> dynamic = true;
                case "type" -> dnsType = k.arg(1) == null ? "SOA" : k.arg(1).toUpperCase(Locale.ROOT);
                case "name" -> dnsName = k.arg(1) == null ? "." : k.arg(1);
                case "payload" -> payload = k.arg(1) == null ? "" : k.arg(1).toLowerCase(Locale.ROOT);
                case "require_reply" -> {
                    requireReply = true;
                    if (k.arg(1) != null) {
                        warn(k, p, "require_reply's pattern not carried over: any reply passes");
                    }
                }
                default -> {
                    if (!timing(k, own, p)) {
                        warn(k, p, k.keyword() + " not carried over");
                    }
                }
            }
        }
        Timing t = own.over(outer);
        Duration interval = t.delayLoop != null ? t.delayLoop : Duration.ofSeconds(60);
        long retry = t.retry != null ? t.retry : type == CheckType.DNS ? 3 : type == CheckType.EXEC ? 0 : 1;
        Duration retryDelay = t.delayBeforeRetry != null ? t.delayBeforeRetry
                : type == CheckType.DNS ? interval
                : type == CheckType.HTTP || type == CheckType.HTTPS ? Duration.ofSeconds(3) : Duration.ofSeconds(1);
        Duration timeout = type == CheckType.EXEC ? (miscTimeout != null ? miscTimeout : interval)
                : t.connectTimeout != null ? t.connectTimeout : Duration.ofSeconds(5);
        CheckSpec.Http http = null;
        CheckSpec.Udp udp = null;
        CheckSpec.Dns dns = null;
        CheckSpec.Exec exec = null;
        switch (type) {
            case HTTP, HTTPS -> http = new CheckSpec.Http("GET", path == null ? "/" : path, host,
                    codes.isEmpty() ? CheckSpec.Http.DEFAULT_EXPECT : codes, regex, digest, type != CheckType.HTTPS,
                    type == CheckType.HTTPS && sni ? (sniName != null ? sniName : host) : null);
            case UDP -> {
                if (!payload.matches("([0-9a-f]{2})*")) {
                    error(c, p, "payload must be hex bytes");
                    payload = "";
                }
                udp = new CheckSpec.Udp(payload, requireReply);
            }
            case DNS -> {
                if (!List.of("A", "AAAA", "NS", "CNAME", "SOA", "MX", "TXT", "PTR", "SRV").contains(dnsType)) {
                    error(c, p, "DNS type must be one of A, AAAA, NS, CNAME, SOA, MX, TXT, PTR, SRV");
                    dnsType = "SOA";
                }
                dns = new CheckSpec.Dns(dnsName, dnsType, "NOERROR");
            }
            case EXEC -> {
                if (command == null) {
                    error(c, p, "MISC_CHECK without misc_path");
                    command = List.of("false");
                }
                exec = new CheckSpec.Exec(command, dynamic);
            }
            default -> {
            }
        }
        if (timeout.isZero() || interval.isZero()) {
            error(c, p, "delay_loop and connect_timeout must be more than 0");
            return null;
        }
        return new CheckSpec(type, interval, timeout, (int) retry + 1, 1, retryDelay,
                t.warmup != null ? t.warmup : interval, Boolean.TRUE.equals(t.alpha), connectTo, port, bindTo, http,
                udp, dns, exec);
    }

    private static String u1(Block k) {
        return k.arg(1);
    }

    /** The timing keywords at any level; false when {@code k} is not one. */
    private boolean timing(Block k, Timing t, String p) {
        switch (k.keyword()) {
            case "delay_loop" -> t.delayLoop = seconds(k, p);
            case "connect_timeout" -> t.connectTimeout = seconds(k, p);
            case "retry" -> t.retry = number(k, 1, 0, 1000, p);
            case "delay_before_retry" -> t.delayBeforeRetry = seconds(k, p);
            case "warmup" -> t.warmup = seconds(k, p);
            case "alpha" -> t.alpha = true;
            default -> {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ values

    private void method(Block k, String p, Vs vs) {
        ForwardingMethod f = forwarding(k.arg(1), k, p);
        if (f == null) {
            return;
        }
        vs.forwarding = f;
        for (int i = 2; i < k.words().size(); i++) {
            String w = k.arg(i);
            switch (w) {
                case "type" -> {
                    String t = k.arg(++i);
                    if ("gue".equals(t)) {
                        vs.tunnelType = TunnelType.GUE;
                    } else if ("gre".equals(t)) {
                        vs.tunnelType = TunnelType.GRE;
                    } else if (!"ipip".equals(t)) {
                        error(k, p, "tunnel type must be ipip, gue or gre");
                    }
                }
                case "port" -> vs.tunnelPort = (int) orDefault(number(k, ++i, 1, 0xFFFF, p), 0);
                case "csum" -> vs.checksum = TunnelChecksum.CSUM;
                case "remcsum" -> vs.checksum = TunnelChecksum.REMCSUM;
                case "nocsum" -> vs.checksum = TunnelChecksum.NOCSUM;
                default -> error(k, p, "unknown lvs_method option '" + w + "'");
            }
        }
    }

    private ForwardingMethod forwarding(String word, Block k, String p) {
        if (word == null) {
            error(k, p, k.keyword() + " needs NAT, DR or TUN");
            return null;
        }
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "NAT" -> ForwardingMethod.MASQ;
            case "DR" -> ForwardingMethod.ROUTE;
            case "TUN" -> ForwardingMethod.TUNNEL;
            default -> {
                error(k, p, k.keyword() + " must be NAT, DR or TUN, not " + word);
                yield null;
            }
        };
    }

    private Long netmask(Block k, String p) {
        String w = k.arg(1);
        if (w != null && w.matches("\\d{1,3}") && Integer.parseInt(w) >= 1 && Integer.parseInt(w) <= 128) {
            return Long.parseLong(w); // an IPv6 prefix length
        }
        byte[] b = w == null ? null : Addresses.pton4(w);
        if (b == null) {
            error(k, p, "persistence_granularity must be a netmask such as 255.255.255.0");
            return null;
        }
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private List<String> script(Block k, String p) {
        String cmd = k.arg(1);
        if (cmd == null || cmd.isBlank()) {
            error(k, p, k.keyword() + " needs a program");
            return List.of();
        }
        if (k.arg(2) != null) {
            warn(k, p, k.keyword() + "'s user and group not carried over: the program runs as jipvs does");
        }
        return List.of("/bin/sh", "-c", cmd);
    }

    private Duration seconds(Block k, String p) {
        String w = k.arg(1);
        if (w != null && w.matches("\\d{1,9}(\\.\\d{1,6})?")) {
            return Duration.ofNanos(Math.round(Double.parseDouble(w) * 1_000_000_000L) / 1000 * 1000);
        }
        error(k, p, k.keyword() + " must be a number of seconds");
        return null;
    }

    private String word(Block k, String p) {
        if (k.arg(1) == null) {
            error(k, p, k.keyword() + " needs a value");
        }
        return k.arg(1);
    }

    private Long number(Block k, int i, long min, long max, String p) {
        String w = k.arg(i);
        if (w != null && w.matches("\\d{1,12}")) {
            long n = Long.parseLong(w);
            if (n >= min && n <= max) {
                return n;
            }
        }
        error(k, p, k.keyword() + ": " + (w == null ? "missing value" : "'" + w + "'") + " must be " + min + ".." + max);
        return null;
    }

    private InetAddress address(String w, Block k, String p) {
        InetAddress a = w == null ? null : Addresses.literal(w);
        if (a == null) {
            error(k, p, (w == null ? "missing address" : "'" + w + "' is not an IPv4 or IPv6 address"));
        }
        return a;
    }

    private static long orDefault(Long v, long d) {
        return v == null ? d : v;
    }

    /**
     * {@code lvs_sync_daemon IF [VRRP_INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group A]}: the
     * daemons follow the instance, as keepalived's do: serve follows its first VIP (present: the
     * instance is master). The sync id is the instance's VRID unless given, as keepalived has it.
     */
    private SyncPair syncDaemon(Block b) {
        String p = "global_defs.lvs_sync_daemon";
        String iface = b.arg(1);
        if (iface == null || iface.length() > 15 || iface.contains("/")) {
            error(b, p, "needs an interface name");
            return null;
        }
        int i = 2;
        Long id = null;
        InetAddress vip = null;
        // keepalived.conf(5): lvs_sync_daemon IF [[inst] VRRP_INSTANCE] [id N] ...
        if ("inst".equals(b.arg(i))) {
            i++;
        }
        if (b.arg(i) != null && !Set.of("id", "maxlen", "port", "ttl", "group").contains(b.arg(i))) {
            String name = b.arg(i);
            Block instance = instances.get(name);
            Block vrid = child(instance, "virtual_router_id");
            if (vrid != null) {
                id = number(vrid, 1, 0, 255, "vrrp_instance " + name + ".virtual_router_id");
            }
            Block vips = child(instance, "virtual_ipaddress");
            if (vips != null && !children(vips).isEmpty()) {
                String first = children(vips).get(0).keyword();
                vip = Addresses.literal(first.contains("/") ? first.substring(0, first.indexOf('/')) : first);
            }
            if (vip == null) {
                warn(b, p, "no virtual_ipaddress of vrrp_instance " + name + " to follow: the role comes from"
                        + " jipvs ctl role (keepalived's notify scripts)");
            }
            i++;
            // The old form's bare sync id after the instance, which keepalived still takes.
            if (b.arg(i) != null && b.arg(i).matches("\\d{1,3}")) {
                id = number(b, i, 0, 255, p + ".id");
                warn(b, p, "a bare sync id is keepalived's old form: write id " + b.arg(i));
                i++;
            }
            if (vrid == null && id == null) {
                warn(b, p, "no vrrp_instance " + name + " with a virtual_router_id here: syncId 0 unless id is given");
            }
        }
        int maxlen = 0;
        int port = 0;
        int ttl = 0;
        InetAddress group = null;
        for (; b.arg(i) != null; i += 2) {
            String key = b.arg(i);
            switch (key) {
                case "id" -> id = number(b, i + 1, 0, 255, p + ".id");
                case "maxlen" -> maxlen = orZero(number(b, i + 1, 1, 65507, p + ".maxlen"));
                case "port" -> port = orZero(number(b, i + 1, 1, 65535, p + ".port"));
                case "ttl" -> ttl = orZero(number(b, i + 1, 1, 255, p + ".ttl"));
                case "group" -> {
                    group = address(b.arg(i + 1), b, p + ".group");
                    if (group != null && !group.isMulticastAddress()) {
                        error(b, p + ".group", "must be a multicast address");
                    }
                }
                default -> error(b, p, "unknown option '" + key + "' (id, maxlen, port, ttl, group)");
            }
        }
        warn(b, p, "carried over as syncDaemon: remove it from the keepalived.conf keepalived keeps running, whose"
                + " VRRP process would otherwise drive the same kernel daemons as serve");
        return new SyncPair(iface, id == null ? 0 : id.intValue(), maxlen, group, port, ttl, vip);
    }

    private static Block child(Block parent, String keyword) {
        return parent == null ? null
                : children(parent).stream().filter(c -> c.keyword().equals(keyword)).findFirst().orElse(null);
    }

    private static int orZero(Long n) {
        return n == null ? 0 : n.intValue();
    }

    private static List<Block> children(Block b) {
        return b.children() == null ? List.of() : b.children();
    }

    private void error(Block b, String path, String message) {
        errors.add(new ConfigError(b.source(), b.line(), b.column(), path, message));
    }

    private void warn(Block b, String path, String message) {
        warnings.add(new ConfigError(b.source(), b.line(), b.column(), path, "warning: " + message));
    }
}
