package io.jipvs.netlink.ipvs;

/** The outcome of one mutation of a batch: {@code error} is null on success. */
public record IpvsResult(IpvsMutation mutation, IpvsException error) {

    /**
     * Whether the mutation succeeded.
     *
     * @return true when {@code error} is null
     */
    public boolean ok() {
        return error == null;
    }
}
