package io.jipvs.cli.names;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Host names through the JDK's resolver (which uses the system's: /etc/hosts, DNS), service
 * names from /etc/services read on first use and kept for this resolver's life (one command).
 * The JDK has no getservbyname/getservbyport, hence the small parser.
 */
public final class SystemResolver implements Resolver {
    private final Path servicesFile;
    private List<String[]> services;

    public SystemResolver() {
        this(Path.of("/etc/services"));
    }

    public SystemResolver(Path servicesFile) {
        this.servicesFile = servicesFile;
    }

    @Override
    public InetAddress hostByName(String name) {
        if (name.isEmpty()) {
            return null; // the JDK would answer "" with the loopback address; gethostbyname fails
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(name)) {
                if (a instanceof Inet4Address) {
                    return a;
                }
            }
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
        return null;
    }

    @Override
    public int portByName(String name, String protocol) {
        for (String[] entry : services()) {
            if (protocol == null || entry[2].equals(protocol)) {
                for (int k = 0; k < entry.length; k++) {
                    if (k != 1 && k != 2 && entry[k].equals(name)) {
                        return Integer.parseInt(entry[1]);
                    }
                }
            }
        }
        return -1;
    }

    @Override
    public String hostByAddress(InetAddress address) {
        try {
            InetAddress plain = InetAddress.getByAddress(address.getAddress());
            String name = plain.getCanonicalHostName();
            return name.equals(plain.getHostAddress()) ? null : name;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String serviceByPort(int port, String protocol) {
        String p = Integer.toString(port);
        for (String[] entry : services()) {
            if (entry[1].equals(p) && entry[2].equals(protocol)) {
                return entry[0];
            }
        }
        return null;
    }

    /** Entries as {name, port, protocol, aliases...}, in file order (first match wins, as in libc). */
    private List<String[]> services() {
        if (services == null) {
            services = new java.util.ArrayList<>();
            try {
                for (String line : Files.readAllLines(servicesFile, StandardCharsets.ISO_8859_1)) {
                    int hash = line.indexOf('#');
                    String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                    if (f.length < 2 || f[0].isEmpty()) {
                        continue;
                    }
                    int slash = f[1].indexOf('/');
                    if (slash <= 0) {
                        continue;
                    }
                    String[] entry = new String[f.length + 1];
                    entry[0] = f[0];
                    entry[1] = f[1].substring(0, slash);
                    entry[2] = f[1].substring(slash + 1);
                    System.arraycopy(f, 2, entry, 3, f.length - 2);
                    services.add(entry);
                }
            } catch (IOException e) {
                // No services database: every port stays numeric, as with libc.
            }
        }
        return services;
    }
}
