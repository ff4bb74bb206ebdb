package io.jipvs.cli.ipvsadm;

import io.jipvs.cli.format.ListMode;
import io.jipvs.cli.ipvsadm.IpvsadmCommand.Subject;
import io.jipvs.model.AddressFamily;
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
import java.util.EnumSet;

/**
 * What the options of one command line have said so far, while {@link IpvsadmParser} reads them
 * left to right (a later option may depend on an earlier one: -r's default port is the service's,
 * -6 needs -f). Once the line is accepted, {@link #toCommand()} turns it into the typed command with
 * ipvsadm's defaults applied. Private to the parser's package.
 */
final class OptionState {
    CommandKind command;
    final EnumSet<OptionKind> options = EnumSet.noneOf(OptionKind.class);
    boolean json;
    SyncState daemonState;

    // virtual service
    AddressFamily family = AddressFamily.INET;
    /** Null until -t/-u/--sctp-service/-f; -f means TCP here, as in ipvsadm (for -r's port names). */
    Protocol protocol;
    InetAddress serviceAddress;
    int servicePort;
    long fwmark;
    String scheduler = "";
    final EnumSet<ServiceFlag> flags = EnumSet.noneOf(ServiceFlag.class);
    long persistenceTimeout;
    long netmask = Service.fullNetmask(AddressFamily.INET);
    String persistenceEngine = "";
    /** -b's text, read once the scheduler is known. */
    String schedulerFlags;

    // real server
    InetAddress destinationAddress;
    int destinationPort;
    ForwardingMethod forwarding = ForwardingMethod.ROUTE;
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    TunnelType tunnelType = TunnelType.IPIP;
    int tunnelPort;
    /** The tunnel rules reject two checksum options, so one value is enough. */
    TunnelChecksum tunnelChecksum = TunnelChecksum.NOCSUM;

    // sync daemon
    String interfaceName = "";
    int syncId;
    int syncMaxLength;
    InetAddress mcastGroup;
    int mcastPort;
    int mcastTtl;

    // --set
    Timeouts timeouts;

    boolean has(OptionKind option) {
        return options.contains(option);
    }

    /** Marks an option given; ipvsadm rejects a repeat at once. */
    void set(OptionKind option) {
        if (!options.add(option)) {
            throw UsageException.fail("multiple '%s' options specified", option.text());
        }
    }

    /** The scheduler the service will have: -s, or ipvsadm's default. */
    String effectiveScheduler() {
        return scheduler.isEmpty() ? Service.DEFAULT_SCHEDULER : scheduler;
    }

    /** The accepted command line as its typed command (after {@link CommandRules#check}). */
    IpvsadmCommand toCommand() {
        return switch (command) {
            case ADD_SERVICE -> new IpvsadmCommand.AddService(service());
            case EDIT_SERVICE -> new IpvsadmCommand.EditService(service());
            case DELETE_SERVICE -> new IpvsadmCommand.DeleteService(key());
            case FLUSH -> new IpvsadmCommand.Flush();
            case LIST -> listing();
            case ADD_SERVER -> new IpvsadmCommand.AddDestination(key(), destination());
            case EDIT_SERVER -> new IpvsadmCommand.EditDestination(key(), destination());
            case DELETE_SERVER -> new IpvsadmCommand.DeleteDestination(key(), destinationAddress, destinationPort());
            case SET -> new IpvsadmCommand.SetTimeouts(timeouts);
            case START_DAEMON -> new IpvsadmCommand.StartDaemon(new SyncDaemon(daemonState,
                    interfaceName.isEmpty() ? "eth0" : interfaceName, syncId, syncMaxLength, mcastGroup, mcastPort,
                    mcastTtl));
            case STOP_DAEMON -> new IpvsadmCommand.StopDaemon(daemonState);
            case RESTORE -> new IpvsadmCommand.Restore();
            case SAVE -> new IpvsadmCommand.Save(has(OptionKind.NUMERIC), json);
            case ZERO -> new IpvsadmCommand.Zero(has(OptionKind.SERVICE) && !unspecified() ? key() : null);
            case HELP -> new IpvsadmCommand.Help();
            case VERSION -> new IpvsadmCommand.Version();
        };
    }

    private ServiceKey key() {
        if (fwmark != 0) {
            return ServiceKey.ofFwmark(family, fwmark);
        }
        return new ServiceKey(family, protocol, serviceAddress, servicePort, 0);
    }

    /** libipvs sends no service with -Z when fwmark, address and port are all zero: zero all. */
    private boolean unspecified() {
        if (fwmark != 0 || servicePort != 0) {
            return false;
        }
        for (byte b : serviceAddress.getAddress()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private Service service() {
        return new Service(key(), effectiveScheduler(), flags, persistenceTimeout, netmask,
                persistenceEngine.isEmpty() ? null : persistenceEngine);
    }

    /** Routed and tunnelled destinations of a non-fwmark service take the service's port. */
    private int destinationPort() {
        boolean samePort = fwmark == 0
                && (forwarding == ForwardingMethod.ROUTE || forwarding == ForwardingMethod.TUNNEL);
        return samePort ? servicePort : destinationPort;
    }

    private Destination destination() {
        return new Destination(destinationAddress, destinationPort(), forwarding, weight, upperThreshold,
                lowerThreshold, tunnelType, tunnelPort, tunnelChecksum);
    }

    private IpvsadmCommand.Listing listing() {
        Subject subject = has(OptionKind.CONNECTION) ? Subject.CONNECTIONS
                : has(OptionKind.TIMEOUT) ? Subject.TIMEOUTS
                : has(OptionKind.DAEMON) ? Subject.DAEMONS
                : Subject.SERVICES;
        ServiceKey one = subject == Subject.SERVICES && has(OptionKind.SERVICE) ? key() : null;
        return new IpvsadmCommand.Listing(subject, one, listMode(), has(OptionKind.NUMERIC), has(OptionKind.EXACT),
                !has(OptionKind.NOSORT), json);
    }

    /** When several column options are given, ipvsadm uses the first of this order. */
    private ListMode listMode() {
        if (has(OptionKind.STATS)) {
            return ListMode.STATS;
        }
        if (has(OptionKind.RATE)) {
            return ListMode.RATE;
        }
        if (has(OptionKind.THRESHOLDS)) {
            return ListMode.THRESHOLDS;
        }
        if (has(OptionKind.PERSISTENT_CONN)) {
            return ListMode.PERSISTENT_CONN;
        }
        if (has(OptionKind.TUN_INFO)) {
            return ListMode.TUN_INFO;
        }
        return ListMode.PLAIN;
    }
}
