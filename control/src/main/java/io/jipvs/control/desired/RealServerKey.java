package io.jipvs.control.desired;

import io.jipvs.model.Addresses;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Destination;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a real server within its service: address (whose family it carries) and port.
 *
 * @param address the real server's address
 * @param port    its port
 */
public record RealServerKey(InetAddress address, int port) {

    /**
     * Checks the values.
     *
     * @param address the address
     * @param port    the port, 0..65535
     */
    public RealServerKey {
        Objects.requireNonNull(address, "address");
        AddressFamily.of(address);
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * The key of a destination.
     *
     * @param destination the destination
     * @return its address and port
     */
    public static RealServerKey of(Destination destination) {
        return new RealServerKey(destination.address(), destination.port());
    }

    @Override
    public String toString() {
        return Addresses.hostPort(address, port);
    }
}
