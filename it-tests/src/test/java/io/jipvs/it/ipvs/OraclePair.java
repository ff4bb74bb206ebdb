package io.jipvs.it.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.internal.Netlink;
import io.jipvs.netlink.internal.NetlinkSocket;
import io.jipvs.netlink.ipvs.IpvsClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two fresh network namespaces side by side: jipvs programs one, the real ipvsadm programs the
 * other with the equivalent command. ipvsadm then has to print both tables identically, and
 * jipvs has to read back what ipvsadm wrote. A client is open on each namespace.
 *
 * <p>Registered per test class ({@code @RegisterExtension static final OraclePair pair = new
 * OraclePair();}): the namespaces live from before the first test to after the last.
 */
final class OraclePair implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** The listings compared; together they show every field ipvsadm can display. */
    private static final String[][] LISTINGS = {
            {"-Sn"},
            {"-Ln"},
            {"-Ln", "--tun-info"},
            {"-Ln", "--thresholds"},
            {"-Ln", "--persistent-conn"},
    };

    private Netns jipvsNs;
    private Netns ipvsadmNs;
    private NetlinkSocket jipvsSocket;
    private IpvsClient jipvs;
    private IpvsClient reader;

    @Override
    public void beforeAll(ExtensionContext context) {
        jipvsNs = Netns.create();
        ipvsadmNs = Netns.create();
        // The socket is opened here (not by IpvsClient) so that tests can count its system calls.
        jipvsSocket = NetworkNamespace.callIn(jipvsNs.path(), () -> NetlinkSocket.open(Netlink.NETLINK_GENERIC));
        jipvs = IpvsClient.open(jipvsSocket);
        reader = IpvsClient.open(ipvsadmNs.path());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A literal address: no lookup happens, so it cannot fail (and is usable inside lambdas). */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** The client on the namespace that only jipvs programs. */
    IpvsClient jipvs() {
        return jipvs;
    }

    /** The socket under {@link #jipvs()}, whose send and receive calls tests count. */
    NetlinkSocket jipvsSocket() {
        return jipvsSocket;
    }

    /** A jipvs client on the namespace that only ipvsadm programs (for reading it back). */
    IpvsClient reader() {
        return reader;
    }

    Netns jipvsNs() {
        return jipvsNs;
    }

    Netns ipvsadmNs() {
        return ipvsadmNs;
    }

    /** Runs ipvsadm in its namespace and fails the test if ipvsadm fails. */
    Exec.Result ipvsadm(String... args) {
        return ipvsadmNs.ipvsadm(args).orThrow();
    }

    /** ipvsadm's listing of the jipvs namespace. */
    String listingOfJipvs(String... args) {
        return jipvsNs.ipvsadm(args).orThrow().stdout();
    }

    /** ipvsadm's listing of its own namespace. */
    String listingOfIpvsadm(String... args) {
        return ipvsadmNs.ipvsadm(args).orThrow().stdout();
    }

    /** What jipvs created is displayed by ipvsadm exactly as what ipvsadm created. */
    void assertSameTables() {
        for (String[] listing : LISTINGS) {
            assertEquals(listingOfIpvsadm(listing), listingOfJipvs(listing),
                    "ipvsadm " + String.join(" ", listing));
        }
    }

    /** Empties both tables between tests. */
    void clear() {
        jipvs.flush();
        reader.flush();
    }

    @Override
    public void close() {
        try {
            jipvs.close();
            reader.close();
        } finally {
            jipvsNs.close();
            ipvsadmNs.close();
        }
    }
}
