package io.jipvs.control.host;

import io.jipvs.netlink.route.InterfaceAddress;

/** The changes a plan can make, and the observation it is computed from. */
public interface Host {

    Observed observe();

    /** The current value; fails if the entry does not exist. */
    int readSysctl(String key);

    void writeSysctl(String key, int value);

    /**
     * Creates a link. Returns false when the link turned out to exist already: loading a tunnel
     * module on demand creates its fallback device, which then is not ours to delete.
     */
    boolean createLink(String name, String kind);

    void deleteLink(String name);

    void setLinkUp(String name, boolean up);

    void addAddress(String device, InterfaceAddress address);

    void deleteAddress(String device, InterfaceAddress address);
}
