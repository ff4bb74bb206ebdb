package io.jipvs.netlink.ipvs;

/**
 * What a request was trying to do. Front ends key their own error texts on it and the errno (the
 * ipvsadm emulation does, like ipvsadm's ipvs_strerror keys on the libipvs functions named in
 * brackets).
 */
public enum IpvsOperation {
    /** Connecting to IPVS: resolving the family and reading its info (ipvs_init). */
    INIT("initialize IPVS"),
    /** Reading version and connection table size (ipvs_getinfo). */
    GET_INFO("get IPVS info"),
    /** ipvs_add_service (-A). */
    ADD_SERVICE("add service"),
    /** ipvs_update_service (-E). */
    UPDATE_SERVICE("edit service"),
    /** ipvs_del_service (-D). */
    DELETE_SERVICE("delete service"),
    /** ipvs_get_service (-L -t ...). */
    GET_SERVICE("get service"),
    /** ipvs_get_services (-L). */
    LIST_SERVICES("list services"),
    /** ipvs_add_dest (-a). */
    ADD_DESTINATION("add destination"),
    /** ipvs_update_dest (-e). */
    UPDATE_DESTINATION("edit destination"),
    /** ipvs_del_dest (-d). */
    DELETE_DESTINATION("delete destination"),
    /** ipvs_get_dests. */
    LIST_DESTINATIONS("list destinations"),
    /** ipvs_zero_service (-Z). */
    ZERO("zero counters"),
    /** ipvs_flush (-C). */
    FLUSH("flush"),
    /** ipvs_get_timeout (-L --timeout). */
    GET_TIMEOUTS("get timeouts"),
    /** ipvs_set_timeout (--set). */
    SET_TIMEOUTS("set timeouts"),
    /** ipvs_start_daemon (--start-daemon). */
    START_DAEMON("start sync daemon"),
    /** ipvs_stop_daemon (--stop-daemon). */
    STOP_DAEMON("stop sync daemon"),
    /** ipvs_get_daemon (-L --daemon). */
    LIST_DAEMONS("list sync daemons");

    private final String description;

    IpvsOperation(String description) {
        this.description = description;
    }

    /**
     * Short human description, the prefix of the exception message.
     *
     * @return e.g. "add service"
     */
    public String description() {
        return description;
    }
}
