package io.jipvs.cli;

import io.jipvs.cli.format.IpvsadmOrder;
import io.jipvs.cli.format.ListFormatter;
import io.jipvs.cli.format.ListMode;
import io.jipvs.cli.format.Names;
import io.jipvs.cli.format.SaveFormatter;
import io.jipvs.cli.format.ServiceView;
import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.ipvsadm.UsageException;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.DestinationEntry;
import io.jipvs.model.IpvsInfo;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceEntry;
import io.jipvs.model.ServiceKey;
import io.jipvs.netlink.ipvs.Warmup;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * Build-time only: run with -XX:ArchiveClassesAtExit by the build so the class-data sharing
 * archive holds what a listing loads. It needs no IPVS: it starts a real `-Ln` (which on a build
 * machine without IPVS stops at the start-up check, after loading the netlink stack), parses
 * typical command lines, runs the IPVS codec both ways (what -R encodes, what a listing decodes)
 * and formats a sample table with every plain formatter. With jipvs.cds.noKernel (a package being
 * installed) the listing is left out: on a host with IPVS modules it would load ip_vs.
 */
public final class CdsWarmup {
    private CdsWarmup() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        if (!Boolean.getBoolean("jipvs.cds.noKernel")) {
            Jipvs.run("jipvs", new String[] {"-Ln"}, new ByteArrayInputStream(new byte[0]), sink, sink);
        }
        IpvsadmParser parser = new IpvsadmParser("jipvs", Resolver.NONE);
        for (String line : new String[] {"-Ln", "-A -t 10.0.0.1:80 -s rr", "-a -t 10.0.0.1:80 -r 10.0.0.2 -m -w 2",
            "-L -n --stats", "-S -n", "-D -t [2001:db8::1]:80", "-x"}) {
            try {
                if (parser.parse(List.of(line.split(" "))) instanceof IpvsadmCommand.Change change) {
                    sink.println(change.mutation().operation());
                }
            } catch (UsageException e) {
                sink.println(e.getMessage());
            }
        }
        Warmup.codec();
        ServiceKey key = ServiceKey.of(Protocol.TCP, Addresses.of(new byte[] {10, 0, 0, 1}), 80);
        Service service = Service.builder(key).scheduler("rr").build();
        ServiceEntry svc = new ServiceEntry(service, null);
        DestinationEntry dest = new DestinationEntry(
                Destination.of(Addresses.of(new byte[] {10, 0, 0, 2}), 80), 0, 0, 0, null);
        List<ServiceView> views = List.of(new ServiceView(svc,
                IpvsadmOrder.sort(List.of(dest, dest), IpvsadmOrder.DESTINATIONS)));
        IpvsadmOrder.sort(List.of(key, key), IpvsadmOrder.SERVICES);
        for (ListMode mode : ListMode.values()) {
            sink.print(ListFormatter.format(new IpvsInfo(0x010201, 4096), views, mode, false, Names.numeric()));
        }
        sink.print(SaveFormatter.format(views, Names.numeric()));
    }
}
