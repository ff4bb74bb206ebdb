package io.jipvs.cli.ipvsadm;

/**
 * Every option ipvsadm's command line knows (commands included), with its long and short names
 * and whether it takes an argument, plus jipvs's own --json and --netns.
 */
public enum Switch {
    ADD_SERVICE("add-service", 'A', Arg.NONE),
    EDIT_SERVICE("edit-service", 'E', Arg.NONE),
    DELETE_SERVICE("delete-service", 'D', Arg.NONE),
    CLEAR("clear", 'C', Arg.NONE),
    LIST("list", 'L', Arg.NONE),
    LIST_LOWER(null, 'l', Arg.NONE),
    ZERO("zero", 'Z', Arg.NONE),
    ADD_SERVER("add-server", 'a', Arg.NONE),
    EDIT_SERVER("edit-server", 'e', Arg.NONE),
    DELETE_SERVER("delete-server", 'd', Arg.NONE),
    RESTORE("restore", 'R', Arg.NONE),
    SAVE("save", 'S', Arg.NONE),
    SET("set", '\0', Arg.NONE),
    START_DAEMON("start-daemon", '\0', Arg.REQUIRED),
    STOP_DAEMON("stop-daemon", '\0', Arg.REQUIRED),
    HELP("help", 'h', Arg.NONE),
    VERSION("version", 'v', Arg.NONE),
    TCP_SERVICE("tcp-service", 't', Arg.REQUIRED),
    UDP_SERVICE("udp-service", 'u', Arg.REQUIRED),
    SCTP_SERVICE("sctp-service", '\0', Arg.REQUIRED),
    FWMARK_SERVICE("fwmark-service", 'f', Arg.REQUIRED),
    SCHEDULER("scheduler", 's', Arg.REQUIRED),
    PERSISTENT("persistent", 'p', Arg.OPTIONAL),
    NETMASK("netmask", 'M', Arg.REQUIRED),
    REAL_SERVER("real-server", 'r', Arg.REQUIRED),
    MASQUERADING("masquerading", 'm', Arg.NONE),
    IPIP("ipip", 'i', Arg.NONE),
    GATEWAYING("gatewaying", 'g', Arg.NONE),
    WEIGHT("weight", 'w', Arg.REQUIRED),
    U_THRESHOLD("u-threshold", 'x', Arg.REQUIRED),
    L_THRESHOLD("l-threshold", 'y', Arg.REQUIRED),
    NUMERIC("numeric", 'n', Arg.NONE),
    CONNECTION("connection", 'c', Arg.NONE),
    MCAST_INTERFACE("mcast-interface", '\0', Arg.REQUIRED),
    SYNCID("syncid", '\0', Arg.REQUIRED),
    TIMEOUT("timeout", '\0', Arg.NONE),
    DAEMON("daemon", '\0', Arg.NONE),
    STATS("stats", '\0', Arg.NONE),
    RATE("rate", '\0', Arg.NONE),
    THRESHOLDS("thresholds", '\0', Arg.NONE),
    PERSISTENT_CONN("persistent-conn", '\0', Arg.NONE),
    NOSORT("nosort", '\0', Arg.NONE),
    SORT("sort", '\0', Arg.NONE),
    EXACT("exact", 'X', Arg.NONE),
    IPV6("ipv6", '6', Arg.NONE),
    OPS("ops", 'o', Arg.NONE),
    PE("pe", '\0', Arg.REQUIRED),
    SCHED_FLAGS("sched-flags", 'b', Arg.REQUIRED),
    SYNC_MAXLEN("sync-maxlen", '\0', Arg.REQUIRED),
    MCAST_GROUP("mcast-group", '\0', Arg.REQUIRED),
    MCAST_PORT("mcast-port", '\0', Arg.REQUIRED),
    MCAST_TTL("mcast-ttl", '\0', Arg.REQUIRED),
    TUN_INFO("tun-info", '\0', Arg.NONE),
    TUN_TYPE("tun-type", '\0', Arg.REQUIRED),
    TUN_PORT("tun-port", '\0', Arg.REQUIRED),
    TUN_NOCSUM("tun-nocsum", '\0', Arg.NONE),
    TUN_CSUM("tun-csum", '\0', Arg.NONE),
    TUN_REMCSUM("tun-remcsum", '\0', Arg.NONE),
    /** jipvs: machine-readable listing. */
    JSON("json", '\0', Arg.NONE),
    /** jipvs: work in the named network namespace (/run/netns/NAME, or a path). */
    NETNS("netns", '\0', Arg.REQUIRED);

    public enum Arg { NONE, REQUIRED, OPTIONAL }

    private final String longName;
    private final char shortName;
    private final Arg arg;

    Switch(String longName, char shortName, Arg arg) {
        this.longName = longName;
        this.shortName = shortName;
        this.arg = arg;
    }

    public String longName() {
        return longName;
    }

    public char shortName() {
        return shortName;
    }

    public Arg arg() {
        return arg;
    }

    /** The command this switch selects, or null when it is not a command. */
    public CommandKind command() {
        return switch (this) {
            case ADD_SERVICE -> CommandKind.ADD_SERVICE;
            case EDIT_SERVICE -> CommandKind.EDIT_SERVICE;
            case DELETE_SERVICE -> CommandKind.DELETE_SERVICE;
            case CLEAR -> CommandKind.FLUSH;
            case LIST, LIST_LOWER -> CommandKind.LIST;
            case ZERO -> CommandKind.ZERO;
            case ADD_SERVER -> CommandKind.ADD_SERVER;
            case EDIT_SERVER -> CommandKind.EDIT_SERVER;
            case DELETE_SERVER -> CommandKind.DELETE_SERVER;
            case RESTORE -> CommandKind.RESTORE;
            case SAVE -> CommandKind.SAVE;
            case SET -> CommandKind.SET;
            case START_DAEMON -> CommandKind.START_DAEMON;
            case STOP_DAEMON -> CommandKind.STOP_DAEMON;
            case HELP -> CommandKind.HELP;
            case VERSION -> CommandKind.VERSION;
            default -> null;
        };
    }

    private static final Switch[] ALL = values(); // values() copies the array on every call

    static Switch byLong(String name) {
        for (Switch s : ALL) {
            if (name.equals(s.longName)) {
                return s;
            }
        }
        return null;
    }

    static Switch byShort(char c) {
        for (Switch s : ALL) {
            if (s.shortName == c && c != '\0') {
                return s;
            }
        }
        return null;
    }
}
