package io.jipvs.cli.serve;

import io.jipvs.cli.NetnsOption;
import io.jipvs.cli.PrintingCommand;
import io.jipvs.cli.daemon.Daemon;
import io.jipvs.cli.daemon.DaemonCommand;
import io.jipvs.cli.systemd.Notifier;
import io.jipvs.control.host.StateStore;
import io.jipvs.control.serve.Supervisor;
import io.jipvs.netlink.NetworkNamespace;
import io.jipvs.netlink.ipvs.IpvsClient;
import io.jipvs.netlink.ipvs.IpvsTotals;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** jipvs serve: apply a file, check every real server, and keep the kernel's table true until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Apply a config, check every real server and keep the table true.", description = {
        "Apply FILE (as jipvs apply), then keep it true: check every real server (check: blocks), take failed",
        "ones out and bring them back, and reconcile against a kernel dump on every health change, on SIGHUP or",
        "when FILE changes (a reload that repairs), and every repairInterval. SIGTERM stops and leaves the table.",
        "It also does jipvs daemon's job: ipvsadm command lines run in this JVM (--no-command-socket: not)."})
public final class ServeCommand extends PrintingCommand {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** How long the file's directory must be quiet before a change is read. */
    static final java.time.Duration SETTLE = java.time.Duration.ofMillis(200);
    /** Loopback only. Prometheus's exporter port range is taken whole; 9470 is jipvs's. */
    static final String DEFAULT_LISTEN = "127.0.0.1:9470";

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The desired state with its checks: YAML, JSON or an ipvsadm rules file.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "yaml, json, ipvsadm or keepalived (default: detected).")
    String format;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "Serve the IPVS table of this network namespace (/run/netns/NAME, or a path); checks run there too.")
    String netns;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/run/jipvs",
            description = "Where jipvs records what it created (default: ${DEFAULT-VALUE}), shared with jipvs apply.")
    Path stateDir;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (logfmt, default) or json: one line per event on standard output.")
    String logFormat;

    @Option(names = "--flush-on-exit", description = "On SIGTERM, delete what jipvs created (keepalived's lvs_flush_on_stop).")
    boolean flushOnExit;

    @Option(names = "--no-command-socket", description = "Do not also serve ipvsadm command lines (jipvs daemon's job).")
    boolean noCommandSocket;

    @Option(names = "--verbose", description = "Log each command line the command socket serves or declines to"
            + " standard error, as jipvs daemon --verbose.")
    boolean verbose;

    @Option(names = "--check-threads", paramLabel = "N", defaultValue = "1",
            description = "Event-loop threads that run every check (default: ${DEFAULT-VALUE}).")
    int checkThreads;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", defaultValue = DEFAULT_LISTEN,
            description = "HTTP for /metrics, the status page (/) and the read-only API, in the director's namespace"
                    + " (default: ${DEFAULT-VALUE}, loopback only; [ADDR]:PORT for IPv6; port 0 picks one; none: no"
                    + " TCP listener). A port in use is reported and serve runs on without it.")
    String listen;

    @Option(names = "--api-socket", paramLabel = "PATH",
            description = "The API's Unix socket, the only place changes (drain, weight, reload) are served without a"
                    + " token: 0600, root with CAP_NET_ADMIN only (default: /run/jipvs/api-COOKIE.sock, COOKIE the"
                    + " namespace's; none: no socket).")
    String apiSocket;

    @Option(names = "--api-token-file", paramLabel = "FILE",
            description = "A bearer token (the file's content, readable by its owner only) that lets HTTP callers over"
                    + " TCP make changes too; without it, changes over TCP are refused (403).")
    Path apiTokenFile;

    @Override
    protected int execute(PrintWriter out, PrintWriter err) {
        if (format != null && !format.matches("yaml|json|ipvsadm|keepalived")) {
            err.println(name() + ": --format must be yaml, json, ipvsadm or keepalived");
            return USAGE;
        }
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            err.println(name() + ": --log-format must be text or json");
            return USAGE;
        }
        if (checkThreads < 1 || checkThreads > 64) {
            err.println(name() + ": --check-threads must be 1..64");
            return USAGE;
        }
        InetSocketAddress web;
        byte[] token;
        try {
            web = listen.equals("none") ? null : listenAddress(listen);
            token = apiTokenFile == null ? null : token(apiTokenFile);
        } catch (IllegalArgumentException e) {
            err.println(name() + ": " + e.getMessage());
            return USAGE;
        }
        Path ns = netns == null ? null : NetnsOption.path(netns);
        if (ns != null && !Files.exists(ns)) {
            err.println(name() + ": no network namespace " + ns);
            return USAGE;
        }
        ServeFile served = new ServeFile(file, format, spec.root().name());
        ServeFile.Loaded first = served.first(err);
        if (first == null) {
            return USAGE;
        }
        // Stopping is possible from the first moment: a SIGTERM during start-up is acted on after it.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        java.util.concurrent.atomic.AtomicBoolean earlyHup = new java.util.concurrent.atomic.AtomicBoolean();
        Signal.handle(new Signal("HUP"), s -> earlyHup.set(true));
        FileChannel claim;
        try {
            claim = ns == null ? StateStore.claim(stateDir, "serve")
                    : NetworkNamespace.callIn(ns, () -> StateStore.claim(stateDir, "serve"));
        } catch (RuntimeException e) {
            err.println(name() + ": " + e.getMessage());
            return FAILED;
        }
        if (claim == null) {
            err.println(name() + ": another jipvs serve already runs in this network namespace");
            return FAILED;
        }
        // The command socket first: a caller that sees the table applied finds it listening.
        Daemon commands = noCommandSocket ? null : commandSocket(ns, err);
        EventLog log = new EventLog(out, logFormat.equals("json"));
        EventStream events = new EventStream();
        Supervisor supervisor = new Supervisor(IpvsClient::open, stateDir, NetworkNamespace.threadFactory(ns, "jipvs-serve"),
                checkThreads, log.andThen(events));
        try {
            supervisor.start(first.file());
        } catch (Exception e) {
            err.println(name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            supervisor.stop(false);
            if (commands != null) {
                commands.stop(Daemon.STOP_WAIT);
                close(commands);
            }
            close(claim);
            return FAILED;
        }
        ServeHttp listener = http(web, ns, supervisor, events, served, token, err);
        // A role keepalived reported while serve started was recorded by jipvs ctl: take it now
        // that ctl finds the socket (ctl records first, then looks for the socket).
        try {
            supervisor.adoptRecordedRole();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            err.println(name() + ": the recorded role: " + e.getMessage());
            err.flush();
        }
        // Under systemd (Type=notify) the unit is started once the table is applied and every
        // listener is up, so that units ordered after it find them.
        Notifier systemd = notifier(err);
        notify(systemd, "READY=1\nSTATUS=" + first.file().state().services().size() + " services", err);
        Signal.handle(new Signal("HUP"), s -> reloadNotified(served, supervisor, systemd, err));
        if (earlyHup.get()) {
            served.reload(supervisor);
        }
        Thread watcher = watch(supervisor, served);
        Thread watchdog = watchdog(supervisor, systemd, err);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notify(systemd, "STOPPING=1", err);
        watcher.interrupt();
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (listener != null) {
            listener.close();
        }
        if (commands != null) {
            commands.stop(Daemon.STOP_WAIT);
            close(commands);
        }
        supervisor.stop(flushOnExit);
        close(claim);
        return OK;
    }

    /** systemd's notifier (a silent one outside systemd, or when it cannot be opened). */
    private Notifier notifier(PrintWriter err) {
        try {
            return Notifier.fromEnvironment(System.getenv());
        } catch (IOException e) {
            err.println(name() + ": cannot tell systemd (NOTIFY_SOCKET): " + e.getMessage());
            err.flush();
            return Notifier.silent();
        }
    }

    private void notify(Notifier systemd, String state, PrintWriter err) {
        try {
            systemd.send(state);
        } catch (IOException e) {
            err.println(name() + ": cannot tell systemd " + state.lines().findFirst().orElse("") + ": " + e.getMessage());
            err.flush();
        }
    }

    /**
     * SIGHUP: RELOADING=1, then READY=1 once the reload's reconcile has run, so that systemd shows
     * the unit reloading meanwhile (its ExecReload, jipvs ctl reload, waits for the reconcile
     * itself). Off the signal thread.
     */
    private void reloadNotified(ServeFile served, Supervisor supervisor, Notifier systemd, PrintWriter err) {
        Thread t = new Thread(() -> {
            synchronized (systemd) {
                notify(systemd, Notifier.reloading(), err);
                served.reload(supervisor);
                try {
                    supervisor.settle();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // stopping (the supervisor's loop takes no more work): STOPPING=1 follows
                }
                notify(systemd, "READY=1", err);
            }
        }, "jipvs-serve-reload");
        t.setDaemon(true);
        t.start();
    }

    /**
     * WATCHDOG=1 at half the interval systemd asks for, each sent only after the supervisor's own
     * thread has answered: a serve whose control loop is stuck stops pinging and systemd restarts it.
     */
    private Thread watchdog(Supervisor supervisor, Notifier systemd, PrintWriter err) {
        java.time.Duration every = systemd.watchdogInterval();
        if (every == null) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(every.toMillis());
                    supervisor.settle();
                    notify(systemd, "WATCHDOG=1", err);
                }
            } catch (InterruptedException | RuntimeException e) {
                // stopping: the supervisor's loop takes no more work
            }
        }, "jipvs-serve-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reloads when the file's content changes (inotify on its directory; editors replace files). */
    private Thread watch(Supervisor supervisor, ServeFile served) {
        Path dir = file.toAbsolutePath().getParent();
        Path name = file.getFileName();
        Thread t = new Thread(() -> {
            try (WatchService ws = dir.getFileSystem().newWatchService()) {
                dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
                while (!Thread.currentThread().isInterrupted()) {
                    WatchKey key = ws.take();
                    boolean ours = false;
                    // An editor's save is several events (truncate, write, rename): read once they settle.
                    while (key != null) {
                        for (WatchEvent<?> e : key.pollEvents()) {
                            ours |= e.context() == null || name.equals(e.context());
                        }
                        key.reset();
                        key = ws.poll(SETTLE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                    if (!ours) {
                        continue;
                    }
                    byte[] now;
                    try {
                        now = Files.readAllBytes(file);
                    } catch (IOException e) {
                        continue; // replaced, not yet there: the next event brings it
                    }
                    if (served.differs(now)) {
                        served.reload(supervisor);
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // stopping
            } catch (IOException e) {
                supervisor.reloadFailed("cannot watch " + dir + ": " + e.getMessage() + " (SIGHUP still reloads)");
            }
        }, "jipvs-serve-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * jipvs daemon's job in this process: one resident JVM per director. Its socket is the
     * namespace's daemon socket, with every rule of the daemon (each command runs over the
     * caller's own netlink socket). Where a jipvs daemon already serves, serve leaves it be.
     */
    private Daemon commandSocket(java.nio.file.Path ns, PrintWriter err) {
        Daemon d;
        try {
            d = ns == null ? Daemon.listen(DaemonCommand::declines, err, verbose)
                    : NetworkNamespace.callIn(ns, () -> Daemon.listen(DaemonCommand::declines, err, verbose));
        } catch (Exception e) {
            err.println(name() + ": not serving command lines: " + e.getMessage());
            err.flush();
            return null;
        }
        Thread t = new Thread(d::serve, "jipvs-serve-commands");
        t.setDaemon(true);
        t.start();
        err.println(name() + ": serving command lines on " + d.address());
        err.flush();
        return d;
    }

    /** The HTTP listeners; serve's job (the table kept true) goes on without one that cannot start. */
    private ServeHttp http(InetSocketAddress web, Path ns, Supervisor supervisor, EventStream events,
                           ServeFile served, byte[] token, PrintWriter err) {
        Routes routes = Routes.of(supervisor, IpvsClient::open, IpvsTotals::read, served, token);
        java.util.function.Consumer<String> report = m -> {
            synchronized (err) {
                err.println(name() + ": " + m);
                err.flush();
            }
        };
        Path socket = null;
        if (apiSocket == null) {
            try {
                long cookie = ns == null ? NetworkNamespace.cookie() : NetworkNamespace.cookie(ns);
                socket = defaultApiSocket(cookie);
            } catch (RuntimeException e) {
                report.accept("no API socket: " + e.getMessage());
            }
        } else if (!apiSocket.equals("none")) {
            socket = Path.of(apiSocket);
        }
        ServeHttp h = ServeHttp.start(web, socket, ns, routes, events, report);
        synchronized (err) {
            if (h.tcpAddress() != null) {
                err.println(name() + ": metrics on http://" + io.jipvs.model.Addresses.hostPort(h.tcpAddress().getAddress(),
                        h.tcpAddress().getPort()) + "/metrics");
            }
            if (h.apiSocket() != null) {
                err.println(name() + ": API socket " + h.apiSocket());
            }
            err.flush();
        }
        return h;
    }

    /**
     * Where serve's API socket is for a namespace unless --api-socket says otherwise (jipvs ctl
     * finds it the same way).
     *
     * @param cookie the namespace's cookie
     * @return the path
     */
    public static Path defaultApiSocket(long cookie) {
        return io.jipvs.cli.daemon.Listener.DIRECTORY.resolve("api-" + Long.toUnsignedString(cookie) + ".sock");
    }

    /**
     * The API socket a client (ctl, announce) talks to: the one given, else the default of the
     * namespace named, else of its own.
     *
     * @param given --api-socket, or null
     * @param netns --netns, or null
     * @return the path
     */
    static Path apiSocket(Path given, String netns) {
        return given != null ? given : defaultApiSocket(netns == null
                ? NetworkNamespace.cookie() : NetworkNamespace.cookie(NetnsOption.path(netns)));
    }

    /** ADDR:PORT, an IPv6 address in brackets. */
    static InetSocketAddress listenAddress(String text) {
        InetSocketAddress a = io.jipvs.model.Addresses.hostPort(text);
        if (a != null) {
            return a;
        }
        int colon = text.lastIndexOf(':');
        if (colon > 0 && !text.startsWith("[") && text.substring(0, colon).contains(":")) {
            throw new IllegalArgumentException("--listen: an IPv6 address goes in brackets: [" + text.substring(0, colon) + "]"
                    + text.substring(colon));
        }
        throw new IllegalArgumentException("--listen takes ADDR:PORT ([ADDR]:PORT for IPv6) or none, not " + text);
    }

    /** The token file's content, refused when others may read it or when it is empty. */
    static byte[] token(Path file) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                    || p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException("--api-token-file " + file + " is readable by others ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(p) + "): chmod 600 it");
            }
            String t = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (t.isEmpty() || t.length() > 4096) {
                throw new IllegalArgumentException("--api-token-file " + file + ": the token must be 1..4096 characters");
            }
            return t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--api-token-file: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void close(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // releasing a lock the process gives up anyway
        }
    }
}
