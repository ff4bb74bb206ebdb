package io.jipvs.cli.ipvsadm;

/**
 * The non-command options that ipvsadm tracks, in the column order of its compatibility matrix.
 * The order matters: the matrix is checked column by column and the first failure wins, and a
 * conflict names the later column first.
 */
public enum OptionKind {
    NUMERIC("numeric"),
    CONNECTION("connection"),
    SERVICE("service-address"),
    SCHEDULER("scheduler"),
    PERSISTENT("persistent"),
    NETMASK("netmask"),
    REAL_SERVER("real-server"),
    FORWARD("forwarding-method"),
    WEIGHT("weight"),
    U_THRESHOLD("u-threshold"),
    L_THRESHOLD("l-threshold"),
    MCAST_INTERFACE("mcast-interface"),
    TIMEOUT("timeout"),
    DAEMON("daemon"),
    STATS("stats"),
    RATE("rate"),
    THRESHOLDS("thresholds"),
    PERSISTENT_CONN("persistent-conn"),
    NOSORT("nosort"),
    SYNCID("syncid"),
    EXACT("exact"),
    OPS("ops"),
    PE("pe"),
    SCHED_FLAGS("sched-flags"),
    MCAST_GROUP("mcast-group"),
    MCAST_PORT("mcast-port"),
    MCAST_TTL("mcast-ttl"),
    SYNC_MAXLEN("sync-maxlen"),
    TUN_INFO("tun-info"),
    TUN_TYPE("tun-type"),
    TUN_PORT("tun-port"),
    TUN_NOCSUM("tun-nocsum"),
    TUN_CSUM("tun-csum"),
    TUN_REMCSUM("tun-remcsum");

    private final String text;

    OptionKind(String text) {
        this.text = text;
    }

    /** The name ipvsadm's messages use. */
    public String text() {
        return text;
    }
}
