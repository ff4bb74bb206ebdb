package io.jipvs.cli.ipvsadm;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Set;

/**
 * One parsed and validated ipvsadm command line: what ipvsadm keeps in its command entry after
 * process_options has accepted the line. Filled only by {@link IpvsadmParser}; read by the
 * executor. Families are AF numbers (2, 10) and protocols IPPROTO numbers, as in ipvsadm.
 */
public final class Invocation {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPPROTO_SCTP = 132;
    public static final int FWD_MASQ = 0;
    public static final int FWD_TUNNEL = 2;
    public static final int FWD_ROUTE = 3;
    public static final int F_PERSISTENT = 0x1;
    public static final int F_ONEPACKET = 0x4;
    public static final int F_SCHED1 = 0x8;
    public static final int F_SCHED2 = 0x10;
    public static final int F_SCHED3 = 0x20;

    CommandKind command;
    final EnumSet<OptionKind> options = EnumSet.noneOf(OptionKind.class);
    boolean json;

    // virtual service
    int serviceFamily = AF_INET;
    int protocol;
    InetAddress serviceAddress;
    int servicePort;
    long fwmark;
    String scheduler = "";
    int flags;
    long persistenceTimeout;
    long netmask = 0xFFFF_FFFFL;
    String persistenceEngine = "";

    // real server
    int destinationFamily;
    InetAddress destinationAddress;
    int destinationPort;
    int forwarding = FWD_ROUTE;
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    int tunnelType;
    int tunnelPort;
    int tunnelFlags;

    // sync daemon
    boolean daemonBackup;
    String interfaceName = "";
    int syncId;
    int syncMaxLength;
    InetAddress mcastGroup;
    int mcastPort;
    int mcastTtl;

    // --set
    final int[] timeouts = new int[3];

    Invocation() {
    }

    public CommandKind command() {
        return command;
    }

    public boolean has(OptionKind option) {
        return options.contains(option);
    }

    public Set<OptionKind> options() {
        return EnumSet.copyOf(options.isEmpty() ? EnumSet.noneOf(OptionKind.class) : options);
    }

    public boolean json() {
        return json;
    }

    public int serviceFamily() {
        return serviceFamily;
    }

    public int protocol() {
        return protocol;
    }

    public InetAddress serviceAddress() {
        return serviceAddress;
    }

    public int servicePort() {
        return servicePort;
    }

    public long fwmark() {
        return fwmark;
    }

    public String scheduler() {
        return scheduler;
    }

    public int flags() {
        return flags;
    }

    public long persistenceTimeout() {
        return persistenceTimeout;
    }

    public long netmask() {
        return netmask;
    }

    public String persistenceEngine() {
        return persistenceEngine;
    }

    public int destinationFamily() {
        return destinationFamily;
    }

    public InetAddress destinationAddress() {
        return destinationAddress;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public int forwarding() {
        return forwarding;
    }

    public int weight() {
        return weight;
    }

    public int upperThreshold() {
        return upperThreshold;
    }

    public int lowerThreshold() {
        return lowerThreshold;
    }

    public int tunnelType() {
        return tunnelType;
    }

    public int tunnelPort() {
        return tunnelPort;
    }

    public int tunnelFlags() {
        return tunnelFlags;
    }

    public boolean daemonBackup() {
        return daemonBackup;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int syncId() {
        return syncId;
    }

    public int syncMaxLength() {
        return syncMaxLength;
    }

    public InetAddress mcastGroup() {
        return mcastGroup;
    }

    public int mcastPort() {
        return mcastPort;
    }

    public int mcastTtl() {
        return mcastTtl;
    }

    /** --set values: tcp, tcpfin, udp. */
    public int[] timeouts() {
        return timeouts.clone();
    }
}
