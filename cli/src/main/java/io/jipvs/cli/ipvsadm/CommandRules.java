package io.jipvs.cli.ipvsadm;

import io.jipvs.model.AddressFamily;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.TunnelType;
import java.util.Locale;

/**
 * What ipvsadm checks once every option has been read: the command × option matrix, --json's
 * commands, then each command's own rules (ports, one-packet scheduling, address families, the
 * tunnel type × option table, list column conflicts) — in that order, the first failure winning.
 */
final class CommandRules {
    private static final OptionKind[] TUNNEL_OPTIONS = {
        OptionKind.TUN_PORT, OptionKind.TUN_NOCSUM, OptionKind.TUN_CSUM, OptionKind.TUN_REMCSUM};

    private CommandRules() {
    }

    /** @throws UsageException with ipvsadm's text for the first rule the line breaks */
    static void check(OptionState s) {
        checkMatrix(s);
        if (s.json && s.command != CommandKind.LIST && s.command != CommandKind.SAVE) {
            throw UsageException.fail("Illegal 'json' option with the '%s' command", s.command.text());
        }
        switch (s.command) {
            case ADD_SERVICE, EDIT_SERVICE -> checkService(s);
            case ADD_SERVER, EDIT_SERVER -> checkDestination(s);
            case LIST -> checkList(s);
            default -> {
            }
        }
    }

    private static void checkMatrix(OptionState s) {
        checkRow(OptionKind.values(), s.command.row(), s, "'" + s.command.text() + "' command");
    }

    /**
     * One row of a compatibility table, column by column: '+' compulsory, 'x' illegal, '1' at most
     * one of the row's '1' options, '.' optional. {@code subject} ends each message ("the 'list'
     * command", "the 'gue' tunnel type").
     */
    private static void checkRow(OptionKind[] columns, String rules, OptionState s, String subject) {
        OptionKind firstOfGroup = null;
        for (int k = 0; k < columns.length; k++) {
            OptionKind o = columns[k];
            char rule = rules.charAt(k);
            boolean present = s.has(o);
            if (rule == '+' && !present) {
                throw UsageException.fail("You need to supply the '%s' option for the %s", o.text(), subject);
            }
            if (rule == 'x' && present) {
                throw UsageException.fail("Illegal '%s' option with the %s", o.text(), subject);
            }
            if (rule == '1' && present) {
                if (firstOfGroup != null) {
                    throw UsageException.fail("The option '%s' conflicts with the '%s' option in the %s",
                            o.text(), firstOfGroup.text(), subject);
                }
                firstOfGroup = o;
            }
        }
    }

    private static void checkService(OptionState s) {
        if (s.fwmark == 0 && s.servicePort == 0 && !s.flags.contains(ServiceFlag.PERSISTENT)) {
            throw UsageException.fail("Zero port specified for non-persistent service");
        }
        if (s.flags.contains(ServiceFlag.ONE_PACKET) && s.fwmark == 0 && s.protocol != Protocol.UDP) {
            throw UsageException.fail("One-Packet Scheduling is only for UDP virtual services");
        }
    }

    private static void checkDestination(OptionState s) {
        boolean tunnel = s.forwarding == ForwardingMethod.TUNNEL;
        if (AddressFamily.of(s.destinationAddress) != s.family && !tunnel) {
            throw UsageException.fail("Different address family is allowed only for tunneling servers");
        }
        boolean tunnelOption = s.has(OptionKind.TUN_TYPE);
        for (OptionKind o : TUNNEL_OPTIONS) {
            tunnelOption |= s.has(o);
        }
        if (tunnelOption && !tunnel) {
            throw UsageException.fail("Tunnel options conflict with forward method");
        }
        if (tunnel) {
            checkTunnel(s);
        }
    }

    /** The tunnel type × option table, in {@link #TUNNEL_OPTIONS} order, with the matrix's symbols. */
    private static String tunnelRules(TunnelType type) {
        return switch (type) {
            case IPIP -> "xxxx";
            case GUE -> "+111";
            case GRE -> "x11x";
        };
    }

    private static void checkTunnel(OptionState s) {
        String type = s.tunnelType.name().toLowerCase(Locale.ROOT);
        checkRow(TUNNEL_OPTIONS, tunnelRules(s.tunnelType), s, "'" + type + "' tunnel type");
    }

    private static void checkList(OptionState s) {
        boolean special = s.has(OptionKind.CONNECTION) || s.has(OptionKind.TIMEOUT) || s.has(OptionKind.DAEMON);
        boolean columns = s.has(OptionKind.STATS) || s.has(OptionKind.RATE) || s.has(OptionKind.THRESHOLDS);
        if ((special && columns) || ((s.has(OptionKind.TIMEOUT) || s.has(OptionKind.DAEMON))
                && s.has(OptionKind.PERSISTENT_CONN))) {
            throw UsageException.fail("options conflicts in the list command");
        }
    }
}
