package io.jipvs.control.config;

import java.util.Set;

/** The IPVS sysctls (net.ipv4.vs.*) a file may set; docs/config.md says what each does. */
final class Sysctls {
    private Sysctls() {
    }

    /** Integer-valued names of current kernels (est_cpulist, a CPU list, is left to sysctl(8)). */
    static final Set<String> KNOWN = Set.of("am_droprate", "amemthresh", "backup_only", "cache_bypass",
            "conn_reuse_mode", "conntrack", "drop_entry", "drop_packet", "est_nice", "expire_nodest_conn",
            "expire_quiescent_template", "ignore_tunneled", "lblc_expiration", "lblcr_expiration", "nat_icmp_send",
            "pmtu_disc", "run_estimation", "schedule_icmp", "secure_tcp", "sloppy_sctp", "sloppy_tcp", "snat_reroute",
            "sync_persist_mode", "sync_ports", "sync_qlen_max", "sync_refresh_period", "sync_retries",
            "sync_sock_size", "sync_threshold", "sync_version");
}
