package io.jipvs.it.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.it.lab.Exec;
import io.jipvs.it.lab.Netns;
import io.jipvs.netlink.ipvs.IpvsClient;

/**
 * Two fresh network namespaces side by side: jipvs programs one, the real ipvsadm programs the
 * other with the equivalent command. ipvsadm then has to print both tables identically, and
 * jipvs has to read back what ipvsadm wrote. A client is open on each namespace.
 */
final class OraclePair implements AutoCloseable {
    /** The listings compared; together they show every field ipvsadm can display. */
    private static final String[][] LISTINGS = {
            {"-Sn"},
            {"-Ln"},
            {"-Ln", "--tun-info"},
            {"-Ln", "--thresholds"},
            {"-Ln", "--persistent-conn"},
    };

    private final Netns jipvsNs;
    private final Netns ipvsadmNs;
    private final IpvsClient jipvs;
    private final IpvsClient reader;

    private OraclePair(Netns jipvsNs, Netns ipvsadmNs) {
        this.jipvsNs = jipvsNs;
        this.ipvsadmNs = ipvsadmNs;
        this.jipvs = IpvsClient.open(jipvsNs.path());
        this.reader = IpvsClient.open(ipvsadmNs.path());
    }

    static OraclePair create() {
        return new OraclePair(Netns.create(), Netns.create());
    }

    /** The client on the namespace that only jipvs programs. */
    IpvsClient jipvs() {
        return jipvs;
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
