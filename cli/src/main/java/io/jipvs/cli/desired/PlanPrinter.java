package io.jipvs.cli.desired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.fullnat.Snat;
import io.jipvs.control.reconcile.Change;
import io.jipvs.control.reconcile.Plan;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plan as people and programs read it ({@code jipvs diff}, {@code apply --dry-run}): one line
 * per change, {@code +} add, {@code ~} edit with each changed field {@code old → new}, {@code -}
 * delete, {@code drain} for a real server going to weight 0 before its deletion, {@code draining}
 * for one still waiting, {@code not managed} for what is left alone; or the same as JSON.
 */
public final class PlanPrinter {
    private PlanPrinter() {
    }

    static void text(Plan plan, Instant now, PrintWriter out) {
        for (Change c : plan.changes()) {
            out.println(line(c, now));
        }
        for (Plan.Draining d : plan.draining()) {
            out.println(waiting(d, now));
        }
        for (Plan.NotManaged n : plan.notManaged()) {
            out.println("not managed " + n.service() + (n.realServer() == null ? "" : " -> " + n.realServer()));
        }
        if (plan.isEmpty()) {
            out.println("nothing to do");
        }
    }

    /**
     * One change as a plan line ("+ real server 10.0.0.11:80 of TCP 192.0.2.10:80 ...").
     *
     * @param c   the change
     * @param now the time drain deadlines are counted from
     * @return the line
     */
    public static String line(Change c, Instant now) {
        if (c instanceof Change.AddService a) {
            return "+ " + a.to().key() + " " + describe(a.to());
        } else if (c instanceof Change.EditService e) {
            return "~ " + e.to().key() + " " + String.join(", ", edits(e.from(), e.to()));
        } else if (c instanceof Change.DeleteService d) {
            return "- " + d.from().key();
        } else if (c instanceof Change.AddRealServer a) {
            return "+ " + a.service() + " -> " + RealServerKey.of(a.to()) + " " + describe(a.to());
        } else if (c instanceof Change.EditRealServer e) {
            return "~ " + e.service() + " -> " + RealServerKey.of(e.to()) + " " + String.join(", ", edits(e.from(), e.to()));
        } else if (c instanceof Change.DrainRealServer d) {
            return "drain " + d.service() + " -> " + RealServerKey.of(d.from()) + " weight " + d.from().weight()
                    + " → 0, deleted when its connections end or in " + seconds(now, d.deadline()) + " s";
        } else if (c instanceof Change.DeleteRealServer d) {
            return "- " + d.service() + " -> " + RealServerKey.of(d.from());
        } else if (c instanceof Change.SetTimeouts t) {
            return "~ timeouts " + String.join(", ", edits(t.from(), t.to()));
        } else if (c instanceof Change.StartDaemon s) {
            return "+ sync daemon " + describe(s.to());
        } else if (c instanceof Change.StopDaemon s) {
            return "- sync daemon " + describe(s.from());
        } else if (c instanceof Change.SetSysctl s) {
            return "~ sysctl net.ipv4.vs." + s.name() + " " + (s.from() == null ? "?" : s.from()) + " → " + s.to();
        } else if (c instanceof Change.SetSnat n) {
            if (n.from().isEmpty()) {
                return "+ fullnat " + n.service() + " " + snat(n.to().get());
            }
            return n.to().isEmpty() ? "- fullnat " + n.service()
                    : "~ fullnat " + n.service() + " " + snat(n.from().get()) + " → " + snat(n.to().get());
        }
        throw new IllegalArgumentException("unknown change " + c);
    }

    /** "masquerade", or "snat 10.3.0.10,10.3.0.11". */
    private static String snat(Snat s) {
        return s.pool().isEmpty() ? "masquerade" : "snat " + s.poolText();
    }

    static String waiting(Plan.Draining d, Instant now) {
        return "draining " + d.service() + " -> " + RealServerKey.of(d.realServer()) + ": " + d.connections()
                + " connection" + (d.connections() == 1 ? "" : "s") + ", " + seconds(now, d.deadline()) + " s left";
    }

    private static long seconds(Instant now, Instant deadline) {
        return Math.max(0, (Duration.between(now, deadline).toMillis() + 999) / 1000);
    }

    static void json(Plan plan, Instant now, PrintWriter out) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode changes = root.putArray("changes");
        for (Change c : plan.changes()) {
            ObjectNode n = changes.addObject();
            String line = line(c, now);
            n.put("op", c.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
            if (c instanceof Change.AddService a) {
                n.put("service", a.to().key().toString());
            } else if (c instanceof Change.EditService e) {
                n.put("service", e.to().key().toString());
                n.set("fields", fields(json, e.from(), e.to()));
            } else if (c instanceof Change.DeleteService d) {
                n.put("service", d.from().key().toString());
            } else if (c instanceof Change.AddRealServer a) {
                n.put("service", a.service().toString()).put("realServer", RealServerKey.of(a.to()).toString());
            } else if (c instanceof Change.EditRealServer e) {
                n.put("service", e.service().toString()).put("realServer", RealServerKey.of(e.to()).toString());
                n.set("fields", fields(json, e.from(), e.to()));
            } else if (c instanceof Change.DrainRealServer d) {
                n.put("service", d.service().toString()).put("realServer", RealServerKey.of(d.from()).toString())
                        .put("deadline", d.deadline().toString());
            } else if (c instanceof Change.DeleteRealServer d) {
                n.put("service", d.service().toString()).put("realServer", RealServerKey.of(d.from()).toString());
            } else if (c instanceof Change.SetSnat f) {
                n.put("service", f.service().toString());
                f.from().ifPresent(s -> n.put("from", snat(s)));
                f.to().ifPresent(s -> n.put("to", snat(s)));
            } else if (c instanceof Change.SetSysctl s) {
                n.put("sysctl", "net.ipv4.vs." + s.name()).put("to", s.to());
                if (s.from() != null) {
                    n.put("from", s.from());
                }
            }
            n.put("text", line);
        }
        ArrayNode draining = root.putArray("draining");
        for (Plan.Draining d : plan.draining()) {
            draining.addObject().put("service", d.service().toString())
                    .put("realServer", RealServerKey.of(d.realServer()).toString())
                    .put("connections", d.connections()).put("deadline", d.deadline().toString());
        }
        ArrayNode notManaged = root.putArray("notManaged");
        for (Plan.NotManaged m : plan.notManaged()) {
            ObjectNode n = notManaged.addObject().put("service", m.service().toString());
            if (m.realServer() != null) {
                n.put("realServer", m.realServer().toString());
            }
        }
        try {
            out.println(json.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode fields(ObjectMapper json, Object from, Object to) {
        ObjectNode n = json.createObjectNode();
        for (String e : edits(from, to)) {
            int colon = e.indexOf(' ');
            String[] values = e.substring(colon + 1).split(" → ", 2);
            n.putObject(e.substring(0, colon)).put("from", values[0]).put("to", values[1]);
        }
        return n;
    }

    /** "field old → new" for each field that differs. */
    static List<String> edits(Object from, Object to) {
        List<String> out = new ArrayList<>();
        if (from instanceof Service a && to instanceof Service b) {
            field(out, "scheduler", a.scheduler(), b.scheduler());
            field(out, "flags", flags(a), flags(b));
            field(out, "timeout", a.timeout(), b.timeout());
            field(out, "netmask", netmask(a), netmask(b));
            field(out, "persistenceEngine", a.persistenceEngine(), b.persistenceEngine());
        } else if (from instanceof Destination a && to instanceof Destination b) {
            field(out, "forwarding", forwarding(a.forwarding()), forwarding(b.forwarding()));
            field(out, "weight", a.weight(), b.weight());
            field(out, "upperThreshold", a.upperThreshold(), b.upperThreshold());
            field(out, "lowerThreshold", a.lowerThreshold(), b.lowerThreshold());
            field(out, "tunnelType", lower(a.tunnelType()), lower(b.tunnelType()));
            field(out, "tunnelPort", a.tunnelPort(), b.tunnelPort());
            field(out, "tunnelChecksum", lower(a.tunnelChecksum()), lower(b.tunnelChecksum()));
        } else if (from instanceof Timeouts a && to instanceof Timeouts b) {
            if (b.tcp() != 0) {
                field(out, "tcp", a.tcp(), b.tcp());
            }
            if (b.tcpFin() != 0) {
                field(out, "tcpFin", a.tcpFin(), b.tcpFin());
            }
            if (b.udp() != 0) {
                field(out, "udp", a.udp(), b.udp());
            }
        }
        return out;
    }

    private static void field(List<String> out, String name, Object from, Object to) {
        if (!java.util.Objects.equals(from, to)) {
            out.add(name + " " + (from == null ? "none" : from) + " → " + (to == null ? "none" : to));
        }
    }

    private static String describe(Service s) {
        StringBuilder b = new StringBuilder(s.scheduler());
        String flags = flags(s);
        if (!flags.isEmpty()) {
            b.append(" (").append(flags).append(')');
        }
        if (s.persistent()) {
            b.append(" persistent ").append(s.timeout()).append(" netmask ").append(netmask(s));
        }
        if (s.persistenceEngine() != null) {
            b.append(" pe ").append(s.persistenceEngine());
        }
        return b.toString();
    }

    private static String describe(Destination d) {
        String s = forwarding(d.forwarding()) + " weight " + d.weight();
        if (d.forwarding() == ForwardingMethod.TUNNEL) {
            s += " tunnel " + lower(d.tunnelType()) + (d.tunnelPort() != 0 ? " port " + d.tunnelPort() : "")
                    + " " + lower(d.tunnelChecksum());
        }
        if (d.upperThreshold() != 0 || d.lowerThreshold() != 0) {
            s += " thresholds " + d.upperThreshold() + "/" + d.lowerThreshold();
        }
        return s;
    }

    private static String describe(SyncDaemon d) {
        return d.state().name().toLowerCase(Locale.ROOT) + " " + d.interfaceName() + " syncid " + d.syncId();
    }

    /** The scheduler flags and one-packet scheduling in ipvsadm's words (persistence is shown apart). */
    private static String flags(Service s) {
        String prefix = s.scheduler().equals("sh") || s.scheduler().equals("mh") ? s.scheduler() + "-" : null;
        List<String> f = new ArrayList<>();
        for (ServiceFlag flag : s.flags()) {
            switch (flag) {
                case SCHED1 -> f.add(prefix == null ? "flag-1" : prefix + "fallback");
                case SCHED2 -> f.add(prefix == null ? "flag-2" : prefix + "port");
                case SCHED3 -> f.add("flag-3");
                case ONE_PACKET -> f.add("ops");
                case PERSISTENT -> { }
            }
        }
        return String.join(",", f);
    }

    private static String netmask(Service s) {
        if (s.key().family() == io.jipvs.model.AddressFamily.INET6) {
            return Long.toString(s.netmask());
        }
        long m = s.netmask();
        return ((m >> 24) & 0xFF) + "." + ((m >> 16) & 0xFF) + "." + ((m >> 8) & 0xFF) + "." + (m & 0xFF);
    }

    private static String forwarding(ForwardingMethod f) {
        return switch (f) {
            case ROUTE -> "dr";
            case TUNNEL -> "tun";
            case MASQ -> "nat";
            case LOCAL -> "local";
            case BYPASS -> "bypass";
        };
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
