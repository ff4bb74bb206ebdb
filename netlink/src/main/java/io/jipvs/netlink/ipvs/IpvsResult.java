package io.jipvs.netlink.ipvs;

/** The outcome of one mutation of a batch: {@code error} is null on success. */
public record IpvsResult(IpvsMutation mutation, IpvsException error) {

    public boolean ok() {
        return error == null;
    }
}
