package io.jipvs.control.config;

import io.jipvs.control.config.Tree.Entry;
import io.jipvs.control.config.Tree.ListNode;
import io.jipvs.control.config.Tree.MapNode;
import io.jipvs.control.config.Tree.Node;
import io.jipvs.control.config.Tree.Scalar;
import io.jipvs.control.config.Tree.Where;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.control.desired.SyncPair;
import io.jipvs.control.desired.Supervision;
import io.jipvs.control.health.CheckSpec;
import io.jipvs.control.health.CheckType;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a desired-state file (YAML or JSON). Every problem is collected with its line, column and
 * key path, and the file is refused whole when there is any: nothing half-read reaches the kernel.
 * The keys, their defaults and their ipvsadm and keepalived equivalents are in docs/config.md.
 */
public final class ConfigReader {
    /** The largest value of the kernel's signed 32-bit fields (weights, thresholds). */
    static final long INT_MAX = 0x7FFF_FFFFL;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,15}");

    private final String source;
    private final List<ConfigError> errors = new ArrayList<>();
    /** What was reported, by place and message: a service's check is read again for each override. */
    private final Set<String> reported = new java.util.HashSet<>();
    private final Map<ServiceKey, Supervision> supervision = new HashMap<>();
    /** Where each real server stands in the file, for {@link WeightEdit}. */
    private final Map<io.jipvs.control.desired.Member, MapNode> realServerNodes = new HashMap<>();
    private Duration repairInterval = Supervised.DEFAULT_REPAIR_INTERVAL;
    private SyncPair syncPair;
    /** The result, once the whole file was read without an error. */
    private Supervised supervised;

    private ConfigReader(String source) {
        this.source = source;
    }

    /**
     * Reads and validates a file; nothing is returned unless all of it is valid.
     *
     * @param source  the name errors give ("-" for standard input)
     * @param content the file's bytes
     * @param format  YAML or JSON
     * @return the desired state
     * @throws ConfigException with every problem, in file order
     */
    public static DesiredState read(String source, byte[] content, ConfigFormat format) {
        return readSupervised(source, content, format).state();
    }

    /**
     * Reads and validates a file with what {@code jipvs serve} adds: checks and their policies.
     *
     * @param source  the name errors give ("-" for standard input)
     * @param content the file's bytes
     * @param format  YAML or JSON
     * @return the desired state and its supervision
     * @throws ConfigException with every problem, in file order
     */
    public static Supervised readSupervised(String source, byte[] content, ConfigFormat format) {
        return reader(source, content, format).supervised;
    }

    /** A valid file as read, with each real server's mapping, by service and real server. */
    record Located(Supervised file, Map<io.jipvs.control.desired.Member, MapNode> realServers) {
    }

    /** Reads a file as {@link #readSupervised} does, keeping where each real server stands. */
    static Located locate(String source, byte[] content, ConfigFormat format) {
        ConfigReader r = reader(source, content, format);
        return new Located(r.supervised, r.realServerNodes);
    }

    private static ConfigReader reader(String source, byte[] content, ConfigFormat format) {
        if (format == ConfigFormat.IPVSADM || format == ConfigFormat.KEEPALIVED) {
            throw new IllegalArgumentException(format + " is read by its own reader");
        }
        ConfigReader r = new ConfigReader(source);
        List<Entry> duplicates = new ArrayList<>();
        Node root;
        try {
            root = Tree.parse(content, format == ConfigFormat.JSON, duplicates);
        } catch (Tree.SyntaxError e) {
            throw new ConfigException(List.of(new ConfigError(source, e.where.line(), e.where.column(), "",
                    e.getMessage())));
        }
        for (Entry d : duplicates) {
            r.error(d.keyAt(), "", "duplicate key '" + d.key() + "'");
        }
        DesiredState state = root == null ? DesiredState.EMPTY : r.state(root);
        if (!r.errors.isEmpty()) {
            List<ConfigError> sorted = new ArrayList<>(r.errors);
            sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
            throw new ConfigException(sorted);
        }
        r.supervised = new Supervised(state, r.supervision, r.repairInterval, r.syncPair);
        return r;
    }

    /**
     * Reads a file as text, for tests and callers holding a string.
     *
     * @param source  the name errors give
     * @param content the file's text
     * @param format  YAML or JSON
     * @return the desired state
     * @throws ConfigException with every problem, in file order
     */
    public static DesiredState read(String source, String content, ConfigFormat format) {
        return read(source, content.getBytes(StandardCharsets.UTF_8), format);
    }

    // ------------------------------------------------------------------ the file's structure

    private DesiredState state(Node root) {
        MapNode top = map(root, "");
        if (top == null) {
            return DesiredState.EMPTY;
        }
        keys(top, "", "services", "timeouts", "syncDaemons", "syncDaemon", "sysctls", "repairInterval");
        Duration repair = duration(top, "repairInterval", "", false);
        if (repair != null) {
            if (repair.compareTo(Duration.ofSeconds(1)) < 0) {
                error(top.entries().get("repairInterval").value().where(), "repairInterval", "must be at least 1s");
            } else {
                repairInterval = repair;
            }
        }
        List<DesiredService> services = new ArrayList<>();
        Map<ServiceKey, Where> seen = new HashMap<>();
        Map<String, Where> names = new HashMap<>();
        ListNode list = list(top, "services", "");
        if (list != null) {
            for (int i = 0; i < list.items().size(); i++) {
                Node item = list.items().get(i);
                DesiredService s = service(item, "services[" + i + "]", names);
                if (s == null) {
                    continue;
                }
                Where first = seen.putIfAbsent(s.key(), item.where());
                if (first != null) {
                    error(item.where(), "services[" + i + "]", "duplicate service " + s.key()
                            + ", first at line " + first.line());
                } else {
                    services.add(s);
                }
            }
        }
        Timeouts timeouts = timeouts(top.entries().get("timeouts"));
        List<SyncDaemon> daemons = daemons(top.entries().get("syncDaemons"));
        syncPair = syncPair(top.entries().get("syncDaemon"), top.entries().get("syncDaemons"));
        Map<String, Integer> sysctls = sysctls(top.entries().get("sysctls"));
        Integer conntrack = sysctls == null ? null : sysctls.get(DesiredState.CONNTRACK);
        if (conntrack != null && conntrack != 1 && services.stream().anyMatch(s -> s.snat() != null)) {
            MapNode m = (MapNode) top.entries().get("sysctls").value();
            error(m.entries().get(DesiredState.CONNTRACK).value().where(), "sysctls.conntrack",
                    "must be 1 with fullnat services: netfilter must track what IPVS forwards for their source NAT");
        }
        return errors.isEmpty() ? new DesiredState(services, timeouts, daemons, sysctls) : null;
    }

    private DesiredService service(Node node, String path, Map<String, Where> names) {
        MapNode m = map(node, path);
        if (m == null) {
            return null;
        }
        keys(m, path, "name", "protocol", "address", "port", "fwmark", "family", "scheduler", "schedulerFlags",
                "persistence", "onePacket", "persistenceEngine", "forwarding", "snatAddresses", "drainTimeout",
                "realServers", "check", "quorum", "hysteresis", "sorryServer", "quorumUp", "quorumDown",
                "depoolThreshold", "inhibitOnFailure", "slowStart");
        int before = errors.size();
        String name = text(m, "name", path);
        if (name != null) {
            Where first = names.putIfAbsent(name, m.entries().get("name").value().where());
            if (first != null) {
                error(m.entries().get("name").value().where(), path + ".name", "duplicate name '" + name
                        + "', first at line " + first.line());
            }
        }
        ServiceKey key = serviceKey(m, path);
        String scheduler = text(m, "scheduler", path);
        if (scheduler != null && !NAME.matcher(scheduler).matches()) {
            error(m.entries().get("scheduler").value().where(), path + ".scheduler",
                    "must be a scheduler name (lower-case letters, digits, '_'; at most 15)");
            scheduler = null;
        }
        if (scheduler == null) {
            scheduler = Service.DEFAULT_SCHEDULER;
        }
        EnumSet<ServiceFlag> flags = schedulerFlags(m, path, scheduler);
        Boolean onePacket = bool(m, "onePacket", path);
        if (Boolean.TRUE.equals(onePacket)) {
            flags.add(ServiceFlag.ONE_PACKET);
        }
        String engine = text(m, "persistenceEngine", path);
        if (engine != null && !NAME.matcher(engine).matches()) {
            error(m.entries().get("persistenceEngine").value().where(), path + ".persistenceEngine",
                    "must be a persistence engine name (lower-case letters, digits, '_'; at most 15)");
        }
        ForwardingMethod forwarding = forwarding(m, path, ForwardingMethod.ROUTE);
        boolean fullnat = "fullnat".equals(forwardingWord(m));
        if (fullnat && key != null && key.fwmarkBased()) {
            error(m.entries().get("forwarding").value().where(), path + ".forwarding", "fullnat needs protocol, address"
                    + " and port: its source NAT rule matches the VIP, which a firewall-mark service does not have");
        }
        List<InetAddress> pool = snatAddresses(m, path, key, fullnat);
        Duration drain = duration(m, "drainTimeout", path, false);
        long timeout = 0;
        long netmask = key == null ? 0 : Service.fullNetmask(key.family());
        Entry persistence = m.entries().get("persistence");
        if (persistence != null) {
            flags.add(ServiceFlag.PERSISTENT);
            timeout = Service.DEFAULT_PERSISTENT_TIMEOUT;
            MapNode p = map(persistence.value(), path + ".persistence");
            if (p != null) {
                keys(p, path + ".persistence", "timeout", "netmask");
                Duration t = duration(p, "timeout", path + ".persistence", true);
                if (t != null) {
                    if (t.getSeconds() < 1 || t.getSeconds() > 0xFFFF_FFFFL) {
                        error(p.entries().get("timeout").value().where(), path + ".persistence.timeout",
                                "must be 1..4294967295 seconds");
                    }
                    timeout = t.getSeconds();
                }
                if (key != null) {
                    Long mask = netmask(p, path + ".persistence", key.family());
                    if (mask != null) {
                        netmask = mask;
                    }
                }
            }
        }
        if (key != null && !key.fwmarkBased() && key.port() == 0 && persistence == null) {
            error(m.entries().get("port").value().where(), path + ".port",
                    "port 0 (every port) needs persistence, as in ipvsadm");
        }
        MapNode serviceCheck = null;
        CheckSpec check = null;
        if (m.entries().containsKey("check")) {
            serviceCheck = map(m.entries().get("check").value(), path + ".check");
            check = serviceCheck == null ? null : check(serviceCheck, path + ".check");
        }
        Boolean inhibit = bool(m, "inhibitOnFailure", path);
        Duration slowStart = duration(m, "slowStart", path, false);
        List<Destination> realServers = new ArrayList<>();
        Map<RealServerKey, Supervision.Policy> policies = new HashMap<>();
        ListNode rs = list(m, "realServers", path);
        if (rs != null) {
            Map<RealServerKey, Where> seen = new HashMap<>();
            for (int i = 0; i < rs.items().size(); i++) {
                Node item = rs.items().get(i);
                String rsPath = path + ".realServers[" + i + "]";
                Destination d = realServer(item, rsPath, key, forwarding, fullnat);
                if (d == null) {
                    continue;
                }
                Where first = seen.putIfAbsent(RealServerKey.of(d), item.where());
                if (first != null) {
                    error(item.where(), rsPath, "duplicate real server " + RealServerKey.of(d) + ", first at line "
                            + first.line());
                } else {
                    realServers.add(d);
                    if (key != null) {
                        realServerNodes.put(new io.jipvs.control.desired.Member(key, RealServerKey.of(d)), (MapNode) item);
                    }
                    policies.put(RealServerKey.of(d), policy((MapNode) item, rsPath, serviceCheck, check,
                            Boolean.TRUE.equals(inhibit), slowStart == null ? Duration.ZERO : slowStart, d.port()));
                }
            }
        }
        Supervision supervised = supervision(m, path, key, forwarding, fullnat, realServers, policies);
        if (errors.size() != before || key == null) {
            return null;
        }
        supervision.put(key, supervised);
        Service service = new Service(key, scheduler, flags, timeout, netmask, engine);
        return new DesiredService(name, service, drain, realServers, fullnat ? new Snat(key, pool) : null);
    }

    private ServiceKey serviceKey(MapNode m, String path) {
        boolean byAddress = m.entries().containsKey("protocol") || m.entries().containsKey("address")
                || m.entries().containsKey("port");
        boolean byMark = m.entries().containsKey("fwmark") || m.entries().containsKey("family");
        if (byAddress && byMark) {
            error(m.where(), path, "a service is either protocol, address and port or fwmark and family, not both");
            return null;
        }
        if (byMark) {
            String family = choice(m, "family", path, "inet", "inet6");
            Long mark = number(m, "fwmark", path, 1, 0xFFFF_FFFFL);
            if (!m.entries().containsKey("fwmark")) {
                error(m.where(), path, "missing key 'fwmark'");
                return null;
            }
            if (mark == null) {
                return null;
            }
            return ServiceKey.ofFwmark("inet6".equals(family) ? AddressFamily.INET6 : AddressFamily.INET, mark);
        }
        String protocol = choice(m, "protocol", path, "tcp", "udp", "sctp");
        InetAddress address = address(m, "address", path);
        Long port = number(m, "port", path, 0, 0xFFFF);
        boolean complete = true;
        for (String k : List.of("protocol", "address", "port")) {
            if (!m.entries().containsKey(k)) {
                error(m.where(), path, byAddress ? "missing key '" + k + "'"
                        : "missing identity: protocol, address and port, or fwmark");
                complete = false;
                if (!byAddress) {
                    break;
                }
            }
        }
        if (!complete || protocol == null || address == null || port == null) {
            return null;
        }
        return ServiceKey.of(Protocol.valueOf(protocol.toUpperCase(Locale.ROOT)), address, port.intValue());
    }

    private EnumSet<ServiceFlag> schedulerFlags(MapNode m, String path, String scheduler) {
        EnumSet<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
        ListNode list = list(m, "schedulerFlags", path);
        if (list == null) {
            return flags;
        }
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String itemPath = path + ".schedulerFlags[" + i + "]";
            String flag = item instanceof Scalar s && s.value() instanceof String t ? t : null;
            ServiceFlag bit = flag == null ? null : switch (flag) {
                case "flag-1", "sh-fallback", "mh-fallback" -> ServiceFlag.SCHED1;
                case "flag-2", "sh-port", "mh-port" -> ServiceFlag.SCHED2;
                case "flag-3" -> ServiceFlag.SCHED3;
                default -> null;
            };
            if (bit == null) {
                error(item.where(), itemPath,
                        "must be one of sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3");
                continue;
            }
            if ((flag.startsWith("sh-") && !scheduler.equals("sh")) || (flag.startsWith("mh-") && !scheduler.equals("mh"))) {
                error(item.where(), itemPath, flag + " needs scheduler " + flag.substring(0, 2)
                        + " (flag-" + (bit == ServiceFlag.SCHED1 ? 1 : 2) + " sets the same bit for any scheduler)");
                continue;
            }
            flags.add(bit);
        }
        return flags;
    }

    private Destination realServer(Node node, String path, ServiceKey service, ForwardingMethod serviceForwarding,
                                   boolean fullnatService) {
        MapNode m = map(node, path);
        if (m == null) {
            return null;
        }
        keys(m, path, "address", "port", "weight", "forwarding", "tunnel", "upperThreshold", "lowerThreshold", "check",
                "inhibitOnFailure", "slowStart", "notifyUp", "notifyDown");
        int before = errors.size();
        InetAddress address = address(m, "address", path);
        if (!m.entries().containsKey("address")) {
            error(m.where(), path, "missing key 'address'");
        }
        Long port = number(m, "port", path, 0, 0xFFFF);
        Long weight = number(m, "weight", path, 0, INT_MAX);
        ForwardingMethod forwarding = forwarding(m, path, serviceForwarding);
        String word = forwardingWord(m);
        if ("fullnat".equals(word) && !fullnatService) {
            error(m.entries().get("forwarding").value().where(), path + ".forwarding", "fullnat is the service's"
                    + " (its source NAT covers every NAT real server of it): set forwarding: fullnat on the service");
        } else if ("nat".equals(word) && fullnatService) {
            error(m.entries().get("forwarding").value().where(), path + ".forwarding", "the service is fullnat, whose"
                    + " source NAT would cover this real server too: leave forwarding out (fullnat), or use dr or tun");
        }
        Long upper = number(m, "upperThreshold", path, 0, INT_MAX);
        Long lower = number(m, "lowerThreshold", path, 0, INT_MAX);
        if (upper != null && lower != null && upper > 0 && lower > upper) {
            error(m.entries().get("lowerThreshold").value().where(), path + ".lowerThreshold",
                    "must not be above upperThreshold (" + upper + ")");
        }
        TunnelType tunnelType = TunnelType.IPIP;
        int tunnelPort = 0;
        TunnelChecksum checksum = TunnelChecksum.NOCSUM;
        Entry tunnel = m.entries().get("tunnel");
        if (tunnel != null) {
            if (forwarding != null && forwarding != ForwardingMethod.TUNNEL) {
                error(tunnel.keyAt(), path + ".tunnel", "needs forwarding tun");
            }
            MapNode t = map(tunnel.value(), path + ".tunnel");
            if (t != null) {
                String tp = path + ".tunnel";
                keys(t, tp, "type", "port", "checksum");
                String type = choice(t, "type", tp, "ipip", "gue", "gre");
                Long tport = number(t, "port", tp, 1, 0xFFFF);
                String csum = choice(t, "checksum", tp, "nocsum", "csum", "remcsum");
                if (type != null) {
                    tunnelType = TunnelType.valueOf(type.toUpperCase(Locale.ROOT));
                }
                if (tport != null) {
                    tunnelPort = tport.intValue();
                    if (tunnelType != TunnelType.GUE) {
                        error(t.entries().get("port").value().where(), tp + ".port", "only gue tunnels have a port");
                    }
                } else if (tunnelType == TunnelType.GUE) {
                    error(t.where(), tp, "a gue tunnel needs a port");
                }
                if (csum != null) {
                    checksum = TunnelChecksum.valueOf(csum.toUpperCase(Locale.ROOT));
                }
            }
        }
        if (address != null && service != null && AddressFamily.of(address) != service.family()
                && forwarding != null && forwarding != ForwardingMethod.TUNNEL) {
            error(m.entries().get("address").value().where(), path + ".address",
                    "a real server of another address family than its service needs forwarding tun");
        }
        if (errors.size() != before || address == null || service == null || forwarding == null) {
            return null;
        }
        int p = port != null ? port.intValue() : service.port();
        return new Destination(address, p, forwarding, weight == null ? 1 : weight.intValue(),
                upper == null ? 0 : upper.intValue(), lower == null ? 0 : lower.intValue(), tunnelType, tunnelPort,
                checksum);
    }

    private ForwardingMethod forwarding(MapNode m, String path, ForwardingMethod fallback) {
        if (!m.entries().containsKey("forwarding")) {
            return fallback;
        }
        String f = choice(m, "forwarding", path, "dr", "tun", "nat", "fullnat");
        if (f == null) {
            return null;
        }
        return switch (f) {
            case "dr" -> ForwardingMethod.ROUTE;
            case "tun" -> ForwardingMethod.TUNNEL;
            // FULLNAT's kernel entry is a masquerading one; its source NAT rule is the service's.
            default -> ForwardingMethod.MASQ;
        };
    }

    /** The forwarding word as written, or null. */
    private static String forwardingWord(MapNode m) {
        Entry e = m.entries().get("forwarding");
        return e != null && e.value() instanceof Scalar s && s.value() instanceof String t ? t : null;
    }

    /** snatAddresses: a list of the service's family, only on a fullnat service. */
    private List<InetAddress> snatAddresses(MapNode m, String path, ServiceKey key, boolean fullnat) {
        Entry e = m.entries().get("snatAddresses");
        List<InetAddress> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        if (!fullnat) {
            error(e.keyAt(), path + ".snatAddresses", "needs forwarding: fullnat on the service");
            return out;
        }
        ListNode list = list(m, "snatAddresses", path);
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            String itemPath = path + ".snatAddresses[" + i + "]";
            InetAddress a = item instanceof Scalar s && s.value() instanceof String t ? Addresses.literal(t) : null;
            if (a == null) {
                error(item.where(), itemPath, "must be an IPv4 or IPv6 address");
            } else if (key != null && !key.fwmarkBased() && AddressFamily.of(a) != key.family()) {
                error(item.where(), itemPath, "must be of the service's family (" + Addresses.ntop(key.address()) + ")");
            } else if (out.contains(a)) {
                error(item.where(), itemPath, "duplicate address " + Addresses.ntop(a));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    private Long netmask(MapNode m, String path, AddressFamily family) {
        Entry e = m.entries().get("netmask");
        if (e == null) {
            return null;
        }
        if (family == AddressFamily.INET6) {
            return number(m, "netmask", path, 1, 128);
        }
        if (e.value() instanceof Scalar s && s.value() instanceof String t) {
            try {
                byte[] b = Addresses.pton4(t);
                if (b != null) {
                    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
                }
            } catch (IllegalArgumentException ignored) {
                // Reported below.
            }
        }
        error(e.value().where(), path + ".netmask", "must be an IPv4 netmask such as 255.255.255.0");
        return null;
    }

    // ------------------------------------------------------------------ serve's keys

    private Supervision supervision(MapNode m, String path, ServiceKey key, ForwardingMethod forwarding, boolean fullnat,
                                    List<Destination> realServers, Map<RealServerKey, Supervision.Policy> policies) {
        Long quorum = number(m, "quorum", path, 0, 1L << 40);
        Long hysteresis = number(m, "hysteresis", path, 0, 1L << 40);
        if (quorum != null && hysteresis != null && hysteresis >= Math.max(quorum, 1)) {
            error(m.entries().get("hysteresis").value().where(), path + ".hysteresis",
                    "must be below quorum (" + quorum + ")");
        }
        Destination sorry = null;
        Entry sorryEntry = m.entries().get("sorryServer");
        if (sorryEntry != null) {
            sorry = realServer(sorryEntry.value(), path + ".sorryServer", key, forwarding, fullnat);
            RealServerKey sorryKey = sorry == null ? null : RealServerKey.of(sorry);
            if (sorry != null && realServers.stream().anyMatch(d -> RealServerKey.of(d).equals(sorryKey))) {
                error(sorryEntry.value().where(), path + ".sorryServer", "is one of the service's real servers ("
                        + sorryKey + "): a sorry server stands in for them");
                sorry = null;
            }
        }
        List<String> up = command(m, "quorumUp", path);
        List<String> down = command(m, "quorumDown", path);
        Double threshold = fraction(m, "depoolThreshold", path);
        return new Supervision(quorum == null ? 1 : quorum, hysteresis == null ? 0 : hysteresis, sorry,
                up == null ? List.of() : up, down == null ? List.of() : down, threshold == null ? 1.0 : threshold,
                policies);
    }

    /** A real server's policy: its own keys over the service's. */
    private Supervision.Policy policy(MapNode m, String path, MapNode serviceCheck, CheckSpec serviceSpec,
                                      boolean inhibitDefault, Duration slowStartDefault, int port) {
        CheckSpec check = serviceSpec;
        Entry own = m.entries().get("check");
        if (own != null) {
            MapNode c = map(own.value(), path + ".check");
            check = c == null ? null : check(merge(serviceCheck, c), path + ".check");
        }
        if (check != null && check.port() == 0 && port == 0 && check.type() != CheckType.EXEC) {
            error(m.where(), path, "the real server has no port (a firewall-mark or port-0 service): its "
                    + check.type().word() + " check needs one (check.port)");
        }
        Boolean inhibit = bool(m, "inhibitOnFailure", path);
        Duration slowStart = duration(m, "slowStart", path, false);
        List<String> up = command(m, "notifyUp", path);
        List<String> down = command(m, "notifyDown", path);
        return new Supervision.Policy(check, inhibit == null ? inhibitDefault : inhibit,
                slowStart == null ? slowStartDefault : slowStart, up == null ? List.of() : up,
                down == null ? List.of() : down);
    }

    /** The keys every check takes. */
    private static final List<String> CHECK_KEYS = List.of("type", "interval", "timeout", "fall", "rise",
            "delayBeforeRetry", "warmup", "alpha", "connectTo", "port", "bindTo");

    /**
     * A real server's check over its service's: its keys win; the service's type-specific keys
     * carry over only when the type stays the same.
     */
    private static MapNode merge(MapNode service, MapNode own) {
        if (service == null) {
            return own;
        }
        Object serviceType = service.entries().get("type") == null ? null : service.entries().get("type").value();
        Object ownType = own.entries().get("type") == null ? null : own.entries().get("type").value();
        boolean sameType = ownType == null || (serviceType instanceof Scalar a && ownType instanceof Scalar b
                && java.util.Objects.equals(a.value(), b.value()));
        Map<String, Entry> merged = new LinkedHashMap<>();
        for (Entry e : service.entries().values()) {
            if (sameType || CHECK_KEYS.contains(e.key())) {
                merged.put(e.key(), e);
            }
        }
        merged.putAll(own.entries());
        return new MapNode(own.where(), merged);
    }

    private CheckSpec check(MapNode m, String path) {
        int before = errors.size();
        String word = choice(m, "type", path, "tcp", "http", "https", "udp", "dns", "exec");
        if (!m.entries().containsKey("type")) {
            error(m.where(), path, "missing key 'type' (tcp, http, https, udp, dns or exec)");
        }
        if (word == null) {
            return null;
        }
        CheckType type = CheckType.valueOf(word.toUpperCase(Locale.ROOT));
        List<String> allowed = new ArrayList<>(CHECK_KEYS);
        allowed.addAll(switch (type) {
            case TCP -> List.<String>of();
            case HTTP -> List.of("method", "path", "host", "expect", "regex", "digest");
            case HTTPS -> List.of("method", "path", "host", "expect", "regex", "digest", "tlsVerify", "sni");
            case UDP -> List.of("payload", "requireReply");
            case DNS -> List.of("name", "queryType", "rcode");
            case EXEC -> List.of("command", "dynamic");
        });
        keys(m, path, allowed.toArray(String[]::new));
        Duration interval = positive(m, "interval", path);
        Duration timeout = positive(m, "timeout", path);
        Long fall = number(m, "fall", path, 1, 1000);
        Long rise = number(m, "rise", path, 1, 1000);
        Duration retry = duration(m, "delayBeforeRetry", path, false);
        Duration warmup = duration(m, "warmup", path, false);
        Boolean alpha = bool(m, "alpha", path);
        InetAddress connectTo = address(m, "connectTo", path);
        Long port = number(m, "port", path, 1, 0xFFFF);
        InetAddress bindTo = address(m, "bindTo", path);
        CheckSpec.Http http = null;
        CheckSpec.Udp udp = null;
        CheckSpec.Dns dns = null;
        CheckSpec.Exec exec = null;
        switch (type) {
            case HTTP, HTTPS -> http = http(m, path, type);
            case UDP -> {
                String payload = text(m, "payload", path);
                if (payload != null && !payload.matches("([0-9a-fA-F]{2})*")) {
                    error(m.entries().get("payload").value().where(), path + ".payload",
                            "must be hex bytes, such as 0a1b2c");
                    payload = null;
                }
                Boolean reply = bool(m, "requireReply", path);
                udp = new CheckSpec.Udp(payload == null ? "" : payload.toLowerCase(Locale.ROOT), Boolean.TRUE.equals(reply));
            }
            case DNS -> {
                String name = text(m, "name", path);
                String qtype = choice(m, "queryType", path, "A", "AAAA", "NS", "CNAME", "SOA", "MX", "TXT", "PTR", "SRV");
                String rcode = choice(m, "rcode", path, "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
                        "REFUSED");
                dns = new CheckSpec.Dns(name == null ? "." : name, qtype == null ? "SOA" : qtype,
                        rcode == null ? "NOERROR" : rcode);
            }
            case EXEC -> {
                List<String> command = command(m, "command", path);
                if (!m.entries().containsKey("command")) {
                    error(m.where(), path, "missing key 'command'");
                }
                Boolean dynamic = bool(m, "dynamic", path);
                exec = new CheckSpec.Exec(command == null ? List.of("true") : command, Boolean.TRUE.equals(dynamic));
            }
            default -> {
            }
        }
        if (errors.size() != before) {
            return null;
        }
        Duration every = interval == null ? CheckSpec.DEFAULT_INTERVAL : interval;
        return new CheckSpec(type, every, timeout == null ? CheckSpec.DEFAULT_TIMEOUT : timeout,
                fall == null ? CheckSpec.DEFAULT_FALL : fall.intValue(), rise == null ? CheckSpec.DEFAULT_RISE : rise.intValue(),
                retry == null ? CheckSpec.DEFAULT_DELAY_BEFORE_RETRY : retry, warmup == null ? every : warmup,
                Boolean.TRUE.equals(alpha), connectTo, port == null ? 0 : port.intValue(), bindTo, http, udp, dns, exec);
    }

    private CheckSpec.Http http(MapNode m, String path, CheckType type) {
        String method = choice(m, "method", path, "GET", "HEAD", "POST", "OPTIONS");
        String target = text(m, "path", path);
        if (target != null && !target.startsWith("/")) {
            error(m.entries().get("path").value().where(), path + ".path", "must start with /");
        }
        if (target != null && target.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            error(m.entries().get("path").value().where(), path + ".path", "must not contain spaces or control characters");
        }
        String host = text(m, "host", path);
        if (host != null && host.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            error(m.entries().get("host").value().where(), path + ".host", "must not contain spaces or control characters");
        }
        List<CheckSpec.StatusRange> expect = expect(m, path);
        String regex = text(m, "regex", path);
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
                error(m.entries().get("regex").value().where(), path + ".regex", "not a regular expression: "
                        + e.getDescription());
            }
        }
        String digest = text(m, "digest", path);
        if (digest != null && !digest.matches("[0-9a-fA-F]{32}")) {
            error(m.entries().get("digest").value().where(), path + ".digest", "must be an MD5 digest: 32 hex digits");
        }
        Boolean verify = bool(m, "tlsVerify", path);
        String sni = text(m, "sni", path);
        return new CheckSpec.Http(method == null ? "GET" : method, target == null ? "/" : target, host,
                expect == null ? CheckSpec.Http.DEFAULT_EXPECT : expect, regex, digest, verify == null || verify, sni);
    }

    /** expect: a status code, or a list of codes and ranges ("200-299"). */
    private List<CheckSpec.StatusRange> expect(MapNode m, String path) {
        Entry e = m.entries().get("expect");
        if (e == null) {
            return null;
        }
        List<Node> items = e.value() instanceof ListNode l ? l.items() : List.of(e.value());
        List<CheckSpec.StatusRange> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = path + ".expect" + (e.value() instanceof ListNode ? "[" + i + "]" : "");
            Object v = item instanceof Scalar s ? s.value() : null;
            Matcher range = v instanceof String t ? Pattern.compile("(\\d{3})-(\\d{3})").matcher(t) : null;
            if (v instanceof Long n && n >= 100 && n <= 599) {
                out.add(new CheckSpec.StatusRange(n.intValue(), n.intValue()));
            } else if (range != null && range.matches() && Integer.parseInt(range.group(1)) >= 100
                    && Integer.parseInt(range.group(2)) <= 599
                    && Integer.parseInt(range.group(1)) <= Integer.parseInt(range.group(2))) {
                out.add(new CheckSpec.StatusRange(Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2))));
            } else {
                error(item.where(), itemPath, "must be a status code (100..599) or a range such as 200-299");
            }
        }
        if (out.isEmpty() && items.isEmpty()) {
            error(e.value().where(), path + ".expect", "must name at least one status code");
        }
        return out;
    }

    /** A program: a text (run by /bin/sh -c) or a list (the program and its arguments). */
    private List<String> command(MapNode m, String key, String path) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof Scalar s && s.value() instanceof String t && !t.isBlank()) {
            return List.of("/bin/sh", "-c", t);
        }
        if (e.value() instanceof ListNode l && !l.items().isEmpty()
                && l.items().stream().allMatch(i -> i instanceof Scalar s && s.value() instanceof String t && !t.isEmpty())) {
            return l.items().stream().map(i -> (String) ((Scalar) i).value()).toList();
        }
        error(e.value().where(), join(path, key), "must be a command line (run by /bin/sh -c) or a list: the program"
                + " and its arguments");
        return null;
    }

    private Duration positive(MapNode m, String key, String path) {
        Duration d = duration(m, key, path, false);
        if (d != null && (d.isZero() || d.compareTo(Duration.ofHours(24)) > 0)) {
            error(m.entries().get(key).value().where(), join(path, key), "must be more than 0 and at most 24h");
            return null;
        }
        return d;
    }

    private Double fraction(MapNode m, String key, String path) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        Object v = e.value() instanceof Scalar s ? s.value() : null;
        double d = v instanceof Double x ? x : v instanceof Long n ? n : -1;
        if (d < 0 || d > 1) {
            error(e.value().where(), join(path, key), "must be a share from 0 to 1, such as 0.5");
            return null;
        }
        return d;
    }

    private Timeouts timeouts(Entry e) {
        if (e == null) {
            return null;
        }
        MapNode m = map(e.value(), "timeouts");
        if (m == null) {
            return null;
        }
        keys(m, "timeouts", "tcp", "tcpFin", "udp");
        int[] values = new int[3];
        String[] names = {"tcp", "tcpFin", "udp"};
        for (int i = 0; i < 3; i++) {
            Duration d = duration(m, names[i], "timeouts", true);
            if (d != null) {
                if (d.getSeconds() < 1 || d.getSeconds() > INT_MAX / 1000) {
                    error(m.entries().get(names[i]).value().where(), "timeouts." + names[i],
                            "must be 1.." + INT_MAX / 1000 + " seconds");
                } else {
                    values[i] = (int) d.getSeconds();
                }
            }
        }
        return new Timeouts(values[0], values[1], values[2]);
    }

    private List<SyncDaemon> daemons(Entry e) {
        if (e == null) {
            return null;
        }
        ListNode list = list(e, "syncDaemons");
        if (list == null) {
            return null;
        }
        List<SyncDaemon> out = new ArrayList<>();
        Map<SyncState, Where> seen = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            String path = "syncDaemons[" + i + "]";
            MapNode m = map(list.items().get(i), path);
            if (m == null) {
                continue;
            }
            keys(m, path, "state", "interface", "syncId", "maxlen", "group", "port", "ttl");
            int before = errors.size();
            String state = choice(m, "state", path, "master", "backup");
            if (!m.entries().containsKey("state")) {
                error(m.where(), path, "missing key 'state'");
            }
            SyncPair channel = channel(m, path, null);
            if (errors.size() != before) {
                continue;
            }
            SyncState s = SyncState.valueOf(state.toUpperCase(Locale.ROOT));
            Where first = seen.putIfAbsent(s, m.where());
            if (first != null) {
                error(m.where(), path, "a second " + state + " daemon (first at line " + first.line()
                        + "): the kernel runs at most one of each");
                continue;
            }
            out.add(channel.daemon(s));
        }
        return out;
    }

    /** serve's role-driven sync daemons: one channel, run as master+backup or backup by the role. */
    private SyncPair syncPair(Entry e, Entry fixed) {
        if (e == null) {
            return null;
        }
        if (fixed != null) {
            error(e.keyAt(), "syncDaemon", "syncDaemon and syncDaemons exclude each other: syncDaemon runs the daemons"
                    + " the director's role calls for (jipvs ctl role), syncDaemons a fixed list");
            return null;
        }
        MapNode m = map(e.value(), "syncDaemon");
        if (m == null) {
            return null;
        }
        keys(m, "syncDaemon", "interface", "syncId", "maxlen", "group", "port", "ttl", "vip");
        int before = errors.size();
        SyncPair channel = channel(m, "syncDaemon", address(m, "vip", "syncDaemon"));
        return errors.size() == before ? channel : null;
    }

    /** The channel's keys, shared by syncDaemons[] and syncDaemon (with its vip); meaningless after an error. */
    private SyncPair channel(MapNode m, String path, InetAddress vip) {
        String iface = text(m, "interface", path);
        if (iface != null && (iface.isEmpty() || iface.getBytes(StandardCharsets.UTF_8).length > 15
                || iface.contains("/") || iface.contains(" "))) {
            error(m.entries().get("interface").value().where(), path + ".interface", "must be an interface name");
        }
        if (!m.entries().containsKey("interface")) {
            error(m.where(), path, "missing key 'interface'");
        }
        Long id = number(m, "syncId", path, 0, 255);
        Long maxlen = number(m, "maxlen", path, 1, 65535);
        InetAddress group = address(m, "group", path);
        if (group != null && !group.isMulticastAddress()) {
            error(m.entries().get("group").value().where(), path + ".group", "must be a multicast address");
        }
        Long port = number(m, "port", path, 1, 65535);
        Long ttl = number(m, "ttl", path, 1, 255);
        return new SyncPair(iface == null ? "" : iface, id == null ? 0 : id.intValue(),
                maxlen == null ? 0 : maxlen.intValue(), group, port == null ? 0 : port.intValue(),
                ttl == null ? 0 : ttl.intValue(), vip);
    }

    private Map<String, Integer> sysctls(Entry e) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (e == null) {
            return out;
        }
        MapNode m = map(e.value(), "sysctls");
        if (m == null) {
            return out;
        }
        for (Entry s : m.entries().values()) {
            if (!Sysctls.KNOWN.contains(s.key())) {
                error(s.keyAt(), "sysctls", "unknown IPVS sysctl '" + s.key() + "'" + suggestion(s.key(), Sysctls.KNOWN));
                continue;
            }
            Long v = number(m, s.key(), "sysctls", Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (v != null) {
                out.put(s.key(), v.intValue());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ values

    private MapNode map(Node node, String path) {
        if (node instanceof MapNode m) {
            return m;
        }
        error(node.where(), path, "must be a mapping, not " + node.kind());
        return null;
    }

    private ListNode list(MapNode m, String key, String path) {
        Entry e = m.entries().get(key);
        return e == null ? null : list(e, join(path, key));
    }

    private ListNode list(Entry e, String path) {
        if (e.value() instanceof ListNode l) {
            return l;
        }
        error(e.value().where(), path, "must be a list, not " + e.value().kind());
        return null;
    }

    private void keys(MapNode m, String path, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (Entry e : m.entries().values()) {
            if (!known.contains(e.key())) {
                error(e.keyAt(), path, "unknown key '" + e.key() + "'" + suggestion(e.key(), List.of(allowed)));
            }
        }
    }

    private String text(MapNode m, String key, String path) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof Scalar s && s.value() instanceof String t) {
            return t;
        }
        error(e.value().where(), join(path, key), "must be text, not " + e.value().kind());
        return null;
    }

    private String choice(MapNode m, String key, String path, String... values) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof Scalar s && s.value() instanceof String t && List.of(values).contains(t)) {
            return t;
        }
        error(e.value().where(), join(path, key), "must be one of " + String.join(", ", values));
        return null;
    }

    private Boolean bool(MapNode m, String key, String path) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof Scalar s && s.value() instanceof Boolean b) {
            return b;
        }
        error(e.value().where(), join(path, key), "must be true or false");
        return null;
    }

    private Long number(MapNode m, String key, String path, long min, long max) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        Object v = e.value() instanceof Scalar s ? s.value() : null;
        if (v instanceof Long n && n >= min && n <= max) {
            return n;
        }
        boolean numeric = v instanceof Long || (v instanceof String t && t.matches("-?\\d+"));
        error(e.value().where(), join(path, key), numeric ? "must be " + min + ".." + max
                : "must be a number (" + min + ".." + max + "), not " + e.value().kind());
        return null;
    }

    private InetAddress address(MapNode m, String key, String path) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        if (e.value() instanceof Scalar s && s.value() instanceof String t) {
            try {
                InetAddress a = Addresses.literal(t);
                if (a != null) {
                    return a;
                }
            } catch (IllegalArgumentException ignored) {
                // Reported below.
            }
        }
        error(e.value().where(), join(path, key), "must be an IPv4 or IPv6 address");
        return null;
    }

    /**
     * A duration: 30s, 500ms, 2m, 1h, or a plain number of seconds. {@code wholeSeconds} fields
     * (the kernel keeps seconds) refuse a fraction.
     */
    private Duration duration(MapNode m, String key, String path, boolean wholeSeconds) {
        Entry e = m.entries().get(key);
        if (e == null) {
            return null;
        }
        Object v = e.value() instanceof Scalar s ? s.value() : null;
        Duration d = null;
        if (v instanceof Long n && n >= 0) {
            d = Duration.ofSeconds(n);
        } else if (v instanceof String t) {
            Matcher matcher = DURATION.matcher(t);
            if (matcher.matches() && matcher.group(1).length() <= 12) {
                long n = Long.parseLong(matcher.group(1));
                String unit = matcher.group(2) == null ? "s" : matcher.group(2);
                d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
        }
        if (d == null) {
            error(e.value().where(), join(path, key), "must be a duration such as 30s, 500ms, 2m or a number of seconds");
            return null;
        }
        if (wholeSeconds && d.getNano() != 0) {
            error(e.value().where(), join(path, key), "must be whole seconds");
            return null;
        }
        return d;
    }

    private void error(Where where, String path, String message) {
        if (!reported.add(where.line() + ":" + where.column() + ":" + message)) {
            return;
        }
        errors.add(new ConfigError(source, where.line(), where.column(), path, message));
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** "; did you mean 'x'?" for a key one or two edits away from a known one. */
    private static String suggestion(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
