package io.jipvs.cli.exec;

import io.jipvs.cli.format.ConnectionFormatter;
import io.jipvs.cli.format.IpvsadmOrder;
import io.jipvs.cli.format.JsonFormatter;
import io.jipvs.cli.format.ListFormatter;
import io.jipvs.cli.format.ListMode;
import io.jipvs.cli.format.Names;
import io.jipvs.cli.format.SaveFormatter;
import io.jipvs.cli.format.ServiceView;
import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.Errno;
import io.jipvs.netlink.NetlinkException;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsOperation;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * -L and -S: reads the table through {@link Ipvs} (or the connection table) and prints it with
 * the formatters of {@code cli.format}. Kernel errors other than the ones ipvsadm swallows are
 * left to the caller.
 */
final class Listings {
    // A class, not a lambda: bootstrapping a lambda costs a cold JVM more than the listing.
    private static final Comparator<ServiceEntry> SERVICE_ORDER = new Comparator<>() {
        @Override
        public int compare(ServiceEntry a, ServiceEntry b) {
            return IpvsadmOrder.SERVICES.compare(a.key(), b.key());
        }
    };

    private final Ipvs ipvs;
    private final ConnectionTable connectionTable;
    private final String program;
    private final Resolver resolver;
    private final Output out;
    private final PrintStream err;

    Listings(Ipvs ipvs, ConnectionTable connectionTable, String program, Resolver resolver, Output out,
             PrintStream err) {
        this.ipvs = ipvs;
        this.connectionTable = connectionTable;
        this.program = program;
        this.resolver = resolver;
        this.out = out;
        this.err = err;
    }

    Outcome list(IpvsadmCommand.Listing l) {
        return switch (l.subject()) {
            case CONNECTIONS -> connections(l);
            case TIMEOUTS -> timeouts(l);
            case DAEMONS -> daemons(l);
            case SERVICES -> l.service() != null ? oneService(l) : table(l);
        };
    }

    private Outcome timeouts(IpvsadmCommand.Listing l) {
        Timeouts t;
        try {
            t = ipvs.timeouts();
        } catch (IpvsException e) {
            return Outcome.LISTING_FAILED; // ipvsadm says nothing here
        }
        out.emit(l.json() ? JsonFormatter.timeouts(t) : ListFormatter.timeouts(t));
        return Outcome.DONE;
    }

    private Outcome daemons(IpvsadmCommand.Listing l) {
        List<SyncDaemon> daemons;
        try {
            daemons = ipvs.daemons();
        } catch (IpvsException e) {
            return Outcome.LISTING_FAILED; // ipvsadm says nothing here either
        }
        out.emit(l.json() ? JsonFormatter.daemons(daemons) : ListFormatter.daemons(daemons));
        return Outcome.DONE;
    }

    private Outcome oneService(IpvsadmCommand.Listing l) {
        ServiceEntry entry = ipvs.service(l.service()).orElse(null);
        if (entry == null) {
            err.println(IpvsadmErrors.describe(IpvsOperation.GET_SERVICE, Errno.ESRCH));
            return Outcome.LISTING_FAILED;
        }
        List<ServiceView> views = List.of(view(entry, l.sort()));
        out.emit(l.json() ? JsonFormatter.services(null, views)
                : ListFormatter.format(null, views, l.mode(), l.exact(), new Names(resolver, l.numeric())));
        return Outcome.DONE;
    }

    private Outcome table(IpvsadmCommand.Listing l) {
        IpvsInfo info = ipvs.info();
        if (l.json()) {
            out.emit(JsonFormatter.services(info, views(l.sort())));
            return Outcome.DONE;
        }
        // As ipvsadm's list_all: header, services, title, then each service as its destinations
        // arrive, so a large table never sits in memory as text.
        out.emit(ListFormatter.header(info));
        List<ServiceEntry> services = services(l.sort());
        out.emit(ListFormatter.title(l.mode()));
        Names names = new Names(resolver, l.numeric());
        StringBuilder sb = new StringBuilder(1024);
        for (ServiceEntry s : services) {
            sb.setLength(0);
            ListFormatter.service(sb, view(s, l.sort()), l.mode(), l.exact(), names);
            out.emit(sb);
        }
        return Outcome.DONE;
    }

    Outcome save(IpvsadmCommand.Save save) {
        if (save.json()) {
            out.emit(JsonFormatter.services(null, views(true)));
            return Outcome.DONE;
        }
        Names names = new Names(resolver, save.numeric());
        StringBuilder sb = new StringBuilder(1024);
        for (ServiceEntry s : services(true)) {
            sb.setLength(0);
            SaveFormatter.service(sb, view(s, true), names);
            out.emit(sb);
        }
        return Outcome.DONE;
    }

    /** Every service, in ipvsadm's order unless {@code sort} is false. */
    private List<ServiceEntry> services(boolean sort) {
        List<ServiceEntry> services = ipvs.services();
        return sort ? IpvsadmOrder.sort(services, SERVICE_ORDER) : services;
    }

    private List<ServiceView> views(boolean sort) {
        List<ServiceEntry> services = services(sort);
        List<ServiceView> views = new ArrayList<>(services.size());
        for (ServiceEntry s : services) {
            views.add(view(s, sort));
        }
        return views;
    }

    private ServiceView view(ServiceEntry entry, boolean sort) {
        List<DestinationEntry> dests = ipvs.destinations(entry.key());
        return new ServiceView(entry, sort ? IpvsadmOrder.sort(dests, IpvsadmOrder.DESTINATIONS) : dests);
    }

    /**
     * -c: ipvsadm's texts where it has them (the file cannot be opened, or is empty); any other
     * failure names the program and itself. Each line is printed as it is read, so the table's
     * size costs no memory; a failure part-way comes after the lines read before it.
     */
    private Outcome connections(IpvsadmCommand.Listing l) {
        ConnectionPrinter printer = new ConnectionPrinter(l);
        try {
            if (connectionTable.read(printer) == 0) {
                err.println("unexpected input from " + ConnectionTable.FILE);
                return Outcome.LISTING_FAILED;
            }
        } catch (ConnectionTable.OpenFailure e) {
            err.println("cannot open file " + ConnectionTable.FILE);
            return Outcome.LISTING_FAILED;
        } catch (IOException e) {
            printer.finish();
            err.println(program + ": cannot read " + ConnectionTable.FILE + ": " + e.getMessage());
            return Outcome.LISTING_FAILED;
        } catch (NetlinkException e) {
            err.println(program + ": " + e.getMessage());
            return Outcome.LISTING_FAILED;
        }
        printer.finish();
        return Outcome.DONE;
    }

    /** The proc file's lines as -L -c prints them: its title line stands for the title. */
    private final class ConnectionPrinter implements Consumer<String> {
        private final boolean json;
        private final boolean persistentConn;
        private final Names names;
        private JsonFormatter.ConnectionWriter jsonWriter;
        private boolean titled;

        ConnectionPrinter(IpvsadmCommand.Listing l) {
            this.json = l.json();
            this.persistentConn = l.mode() == ListMode.PERSISTENT_CONN;
            this.names = new Names(resolver, l.numeric());
        }

        @Override
        public void accept(String line) {
            if (!titled) {
                titled = true;
                if (json) {
                    jsonWriter = JsonFormatter.connections(out.stream());
                } else {
                    out.emit(ConnectionFormatter.title(persistentConn));
                }
            } else if (json) {
                jsonWriter.add(line);
            } else {
                String entry = ConnectionFormatter.entry(line, persistentConn, names);
                if (entry != null) {
                    out.emit(entry);
                }
            }
        }

        /** Ends the JSON document, if one was begun. */
        void finish() {
            if (jsonWriter != null) {
                jsonWriter.finish();
            }
        }
    }
}
