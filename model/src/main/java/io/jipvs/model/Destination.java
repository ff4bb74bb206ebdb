package io.jipvs.model;

import java.net.InetAddress;
import java.util.Objects;

/**
 * The configuration of a real server (destination) of a virtual service. Its identity within the
 * service is (address family, address, port); the family follows the address and may differ from
 * the service's only for {@link ForwardingMethod#TUNNEL}.
 *
 * @param upperThreshold upper connection threshold, 0 = none
 * @param lowerThreshold lower connection threshold, 0 = 3/4 of the upper one
 * @param tunnelType     encapsulation (meaningful for TUNNEL)
 * @param tunnelPort     GUE destination port, 0 if unused
 * @param tunnelChecksum GUE/GRE checksum mode
 */
public record Destination(InetAddress address, int port, ForwardingMethod forwarding, int weight,
                          int upperThreshold, int lowerThreshold, TunnelType tunnelType, int tunnelPort,
                          TunnelChecksum tunnelChecksum) {

    /**
     * Checks the values and fills in the defaults: IPIP for a null tunnel type, NOCSUM for a null
     * checksum mode.
     *
     * @param address        the real server's address
     * @param port           its port (0 for fwmark services)
     * @param forwarding     how packets reach it
     * @param weight         scheduling weight, 0 or more
     * @param upperThreshold upper connection threshold, 0 = none
     * @param lowerThreshold lower connection threshold, 0 = 3/4 of the upper one
     * @param tunnelType     encapsulation, null = IPIP
     * @param tunnelPort     GUE destination port, 0 if unused
     * @param tunnelChecksum GUE/GRE checksum mode, null = NOCSUM
     * @throws NullPointerException     without address or forwarding method
     * @throws IllegalArgumentException for a bad port, a negative weight or threshold
     */
    public Destination {
        Objects.requireNonNull(address, "address");
        AddressFamily.of(address);
        ServiceKey.checkPort(port);
        Objects.requireNonNull(forwarding, "forwarding");
        if (weight < 0) {
            throw new IllegalArgumentException("weight must not be negative: " + weight);
        }
        if (upperThreshold < 0 || lowerThreshold < 0) {
            throw new IllegalArgumentException("thresholds must not be negative");
        }
        tunnelType = tunnelType == null ? TunnelType.IPIP : tunnelType;
        ServiceKey.checkPort(tunnelPort);
        tunnelChecksum = tunnelChecksum == null ? TunnelChecksum.NOCSUM : tunnelChecksum;
    }

    /**
     * A destination with ipvsadm's defaults: direct routing, weight 1, no thresholds, ipip.
     *
     * @param address the real server's address
     * @param port    its port (0 for fwmark services)
     * @return the destination
     */
    public static Destination of(InetAddress address, int port) {
        return new Destination(address, port, ForwardingMethod.ROUTE, 1, 0, 0, TunnelType.IPIP, 0,
                TunnelChecksum.NOCSUM);
    }

    /**
     * The address family of this destination.
     *
     * @return the family of {@link #address()}
     */
    public AddressFamily family() {
        return AddressFamily.of(address);
    }

    /**
     * This destination with another forwarding method.
     *
     * @param method the forwarding method
     * @return a copy
     */
    public Destination withForwarding(ForwardingMethod method) {
        return new Destination(address, port, method, weight, upperThreshold, lowerThreshold, tunnelType, tunnelPort,
                tunnelChecksum);
    }

    /**
     * This destination with another weight.
     *
     * @param newWeight the weight, 0 or more
     * @return a copy
     */
    public Destination withWeight(int newWeight) {
        return new Destination(address, port, forwarding, newWeight, upperThreshold, lowerThreshold, tunnelType,
                tunnelPort, tunnelChecksum);
    }

    /**
     * This destination with other connection thresholds.
     *
     * @param upper upper threshold, 0 = none
     * @param lower lower threshold, 0 = 3/4 of the upper one
     * @return a copy
     */
    public Destination withThresholds(int upper, int lower) {
        return new Destination(address, port, forwarding, weight, upper, lower, tunnelType, tunnelPort,
                tunnelChecksum);
    }

    /**
     * A tunnelling destination with this encapsulation.
     *
     * @param type     the encapsulation
     * @param port     GUE destination port, 0 if unused
     * @param checksum GUE/GRE checksum mode
     * @return a copy with {@link ForwardingMethod#TUNNEL}
     */
    public Destination withTunnel(TunnelType type, int port, TunnelChecksum checksum) {
        return new Destination(address, this.port, ForwardingMethod.TUNNEL, weight, upperThreshold, lowerThreshold,
                type, port, checksum);
    }

    @Override
    public String toString() {
        String host = Addresses.ntop(address);
        return (family() == AddressFamily.INET6 ? "[" + host + "]" : host) + ":" + port + " " + forwarding
                + " w=" + weight;
    }
}
