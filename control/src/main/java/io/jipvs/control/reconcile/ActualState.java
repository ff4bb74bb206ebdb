package io.jipvs.control.reconcile;

import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.fullnat.SnatTable;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.Ipvs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kernel holds: a dump of the IPVS table (services in the kernel's order, each with its
 * destinations and their connection counts), the timeouts, the sync daemons and the values of the
 * IPVS sysctls the desired state names.
 *
 * @param services the services with their destinations
 * @param timeouts the connection timeouts
 * @param daemons  the running sync daemons
 * @param sysctls  sysctl values by name under net.ipv4.vs; a missing name is not readable here
 * @param snat     jipvs's nftables table: which services are FULLNAT, and how
 */
public record ActualState(List<ActualService> services, Timeouts timeouts, List<SyncDaemon> daemons,
                          Map<String, Integer> sysctls, SnatTable snat) {

    /** An empty table with the kernel's default timeouts. */
    public static final ActualState EMPTY = new ActualState(List.of(), new Timeouts(900, 120, 300), List.of(), Map.of());

    /**
     * Copies the collections.
     *
     * @param services the services
     * @param timeouts the timeouts
     * @param daemons  the daemons
     * @param sysctls  the sysctls, null for none
     * @param snat     the source NAT table, null for none
     */
    public ActualState {
        snat = snat == null ? SnatTable.ABSENT : snat;
        services = List.copyOf(services);
        Objects.requireNonNull(timeouts, "timeouts");
        daemons = List.copyOf(daemons);
        sysctls = sysctls == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    }

    /**
     * A dump without source NAT rules.
     *
     * @param services the services
     * @param timeouts the timeouts
     * @param daemons  the daemons
     * @param sysctls  the sysctls, null for none
     */
    public ActualState(List<ActualService> services, Timeouts timeouts, List<SyncDaemon> daemons,
                       Map<String, Integer> sysctls) {
        this(services, timeouts, daemons, sysctls, SnatTable.ABSENT);
    }

    /**
     * One service of the dump.
     *
     * @param service      the service as the kernel reports it
     * @param destinations its destinations, in the kernel's order, with connection counts
     */
    public record ActualService(Service service, List<DestinationEntry> destinations) {
        /**
         * Copies the list.
         *
         * @param service      the service
         * @param destinations its destinations
         */
        public ActualService {
            Objects.requireNonNull(service, "service");
            destinations = List.copyOf(destinations);
        }
    }

    /**
     * Dumps the table (services, then each one's destinations), timeouts and daemons; no sysctls.
     *
     * @param ipvs the table
     * @return what it holds now
     * @throws io.jipvs.netlink.ipvs.IpvsException when the kernel refuses a dump
     */
    public static ActualState dump(Ipvs ipvs) {
        List<ActualService> services = new ArrayList<>();
        for (ServiceEntry s : ipvs.services()) {
            services.add(new ActualService(s.service(), ipvs.destinations(s.key())));
        }
        return new ActualState(services, ipvs.timeouts(), ipvs.daemons(), Map.of());
    }

    /**
     * The dump as a desired state ({@code jipvs export}): every service with every destination as
     * the kernel holds it (FULLNAT where jipvs's table has a source NAT rule for it), the timeouts
     * and the running daemons; no names, drain timeouts or sysctls.
     *
     * <p>In the order of creation: the kernel lists a service's destinations newest first (and
     * services of one hash bucket too), so the dump is reversed. Applied to an empty table, the
     * result then dumps in exactly the kernel order of the original, and exports the same again;
     * ipvsadm -S, written in dump order, reverses the destinations on every save and restore.
     *
     * @return a state whose apply changes nothing
     */
    public DesiredState toDesired() {
        List<DesiredService> out = new ArrayList<>(services.size());
        for (ActualService s : services) {
            List<Destination> destinations = new ArrayList<>(s.destinations().size());
            for (DestinationEntry d : s.destinations()) {
                destinations.add(d.destination());
            }
            Collections.reverse(destinations);
            out.add(new DesiredService(null, s.service(), null, destinations,
                    snat.snat(s.service().key()).orElse(null)));
        }
        Collections.reverse(out);
        return new DesiredState(out, timeouts, daemons, Map.of());
    }

    /**
     * This dump with sysctl values added.
     *
     * @param values sysctl values by name under net.ipv4.vs
     * @return a copy
     */
    public ActualState withSysctls(Map<String, Integer> values) {
        return new ActualState(services, timeouts, daemons, values, snat);
    }

    /**
     * This dump with jipvs's source NAT table added.
     *
     * @param table the table as nft lists it
     * @return a copy
     */
    public ActualState withSnat(SnatTable table) {
        return new ActualState(services, timeouts, daemons, sysctls, table);
    }
}
