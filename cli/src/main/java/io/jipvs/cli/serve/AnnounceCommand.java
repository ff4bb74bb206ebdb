package io.jipvs.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.jipvs.cli.PrintingCommand;
import io.jipvs.model.Addresses;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * jipvs announce: route announcements for a BGP speaker from serve's health, so that routers
 * spread a VIP's flows (ECMP) over the directors that can serve it. It follows serve's event
 * stream and prints the speaker's commands on standard output; it never speaks BGP itself.
 */
@Command(name = "announce", mixinStandardHelpOptions = true,
        header = "Announce each VIP through a BGP speaker (ExaBGP) while it has quorum here.", description = {
        "Follows the jipvs serve of this network namespace and prints ExaBGP's process commands:",
        "  announce route VIP/32 next-hop self   while every service on VIP has its quorum here",
        "  withdraw route VIP/32 next-hop self   when one loses it, when serve stops or cannot be reached",
        "Run it from exabgp.conf: process jipvs { run /usr/sbin/jipvs announce --exabgp; encoder text; }",
        "It ends when ExaBGP closes its standard input. See docs/scale-out.md."})
public final class AnnounceCommand extends PrintingCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** The events after which the announced set is worked out again. */
    static final Set<String> REFRESH = Set.of("start", "ready", "reload", "quorum-lost", "quorum-gained");
    /** How long after losing serve the stream is tried again. */
    static final long RETRY_MILLIS = 1000;

    @Option(names = "--exabgp", required = true, description = "Speak ExaBGP's process API (the only speaker so far;"
            + " BIRD and GoBGP: see docs/scale-out.md).")
    boolean exabgp;

    @Option(names = "--api-socket", paramLabel = "PATH", description = "serve's API socket (default: the namespace's, "
            + "/run/jipvs/api-COOKIE.sock; root only).")
    Path apiSocket;

    @Option(names = "--url", paramLabel = "http://HOST:PORT", description = "serve's TCP listener instead of its socket"
            + " (reading needs no privilege: for a speaker that runs its processes as another user).")
    String url;

    @Option(names = "--netns", paramLabel = "NAME", description = "The serve of this network namespace (/run/netns/NAME, or a path).")
    String netns;

    @Option(names = "--vip", paramLabel = "ADDRESS", description = "Announce this VIP only (repeatable; default: every"
            + " address of serve's services).")
    List<String> vips = new ArrayList<>();

    @Option(names = "--attributes", paramLabel = "TEXT", description = "What follows 'next-hop self' in each announce,"
            + " e.g. 'med 100 community [65000:80]'.")
    String attributes = "";

    private final Object lock = new Object();
    private final Set<InetAddress> announced = new LinkedHashSet<>();
    private final CountDownLatch speakerGone = new CountDownLatch(1);
    /** The stream being read, for the stdin thread to end; set and read under {@code lock}. */
    private ApiClient.Events current;
    private volatile boolean stopping;
    private boolean first = true;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        Set<InetAddress> only = new LinkedHashSet<>();
        for (String v : vips) {
            InetAddress a = Addresses.literal(v);
            if (a == null) {
                err.println(name() + ": --vip: not an IPv4 or IPv6 address: " + v);
                return USAGE;
            }
            only.add(a);
        }
        if (attributes.contains("\n")) {
            err.println(name() + ": --attributes: one line");
            return USAGE;
        }
        SocketAddress address;
        try {
            address = address();
        } catch (RuntimeException e) {
            err.println(name() + ": " + e.getMessage());
            return USAGE;
        }
        Announcements rule = new Announcements(Set.copyOf(only));
        Thread stdin = new Thread(() -> drain(System.in), "exabgp-stdin");
        stdin.setDaemon(true);
        stdin.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (lock) {
                stopping = true;
            }
            withdrawAll(out);
        }));
        String lastTrouble = null;
        while (running()) {
            try (ApiClient.Events events = ApiClient.events(address)) {
                synchronized (lock) {
                    if (!running()) {
                        break;
                    }
                    current = events;
                }
                if (lastTrouble != null) {
                    err.println(name() + ": following serve again");
                    err.flush();
                    lastTrouble = null;
                }
                update(out, rule.wanted(state(address)));
                for (String e; (e = events.next()) != null; ) {
                    if (REFRESH.contains(e)) {
                        update(out, rule.wanted(state(address)));
                    }
                }
                lastTrouble = "serve ended its event stream";
                err.println(name() + ": " + lastTrouble + " (every VIP withdrawn; trying again every second)");
                err.flush();
            } catch (IOException | RuntimeException e) {
                String why = String.valueOf(e.getMessage());
                if (!why.equals(lastTrouble) && running()) {
                    err.println(name() + ": cannot follow serve at " + address + ": " + why + " (every VIP withdrawn;"
                            + " trying again every second)");
                    err.flush();
                }
                lastTrouble = why;
            } finally {
                synchronized (lock) {
                    current = null;
                }
            }
            // Without serve nobody keeps the VIPs' services true: this director takes no flows.
            withdrawAll(out);
            try {
                speakerGone.await(RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FAILED;
            }
        }
        return OK;
    }

    private SocketAddress address() {
        if (url != null) {
            if (apiSocket != null) {
                throw new IllegalArgumentException("--url or --api-socket, not both");
            }
            URI u = URI.create(url);
            if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("--url must be http://HOST:PORT (serve's --listen), not " + url);
            }
            return new InetSocketAddress(u.getHost(), u.getPort());
        }
        return UnixDomainSocketAddress.of(ServeCommand.apiSocket(apiSocket, netns));
    }

    private static JsonNode state(SocketAddress address) throws IOException {
        FullHttpResponse r = ApiClient.exchange(address, ApiClient.get(Routes.API + "state"));
        try {
            if (r.status().code() != 200) {
                throw new IOException("serve answered " + r.status() + " to GET " + Routes.API + "state");
            }
            return StateDocument.JSON.readTree(r.content().toString(StandardCharsets.UTF_8));
        } finally {
            r.release();
        }
    }

    private void update(PrintWriter out, Map<InetAddress, Boolean> wanted) {
        synchronized (lock) {
            if (!running()) {
                return;
            }
            // ExaBGP keeps the routes of an announce that died: the first word of a new one
            // withdraws whatever is not up, announced before or not.
            if (first) {
                first = false;
                wanted.forEach((vip, up) -> {
                    if (!up) {
                        out.println(Announcements.exabgp("withdraw", vip, ""));
                    }
                });
            }
            for (String line : Announcements.exabgp(announced, wanted, attributes)) {
                out.println(line);
            }
            out.flush();
            announced.clear();
            wanted.forEach((vip, up) -> {
                if (up) {
                    announced.add(vip);
                }
            });
        }
    }

    private void withdrawAll(PrintWriter out) {
        synchronized (lock) {
            for (InetAddress vip : announced) {
                out.println(Announcements.exabgp("withdraw", vip, ""));
            }
            out.flush();
            announced.clear();
        }
    }

    /** ExaBGP acknowledges each command on our standard input; its end is ExaBGP's. */
    private void drain(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            while (in.read(buf) >= 0) {
                // Acks ("done") and, with other encoders, updates: nothing to act on.
            }
        } catch (IOException e) {
            // As an end.
        }
        synchronized (lock) {
            announced.clear(); // nobody left to withdraw from
            speakerGone.countDown();
            if (current != null) {
                current.abort();
            }
        }
    }

    /** Whether to go on: ExaBGP is there and no SIGTERM came. Under {@code lock} or not. */
    private boolean running() {
        return speakerGone.getCount() > 0 && !stopping;
    }
}
