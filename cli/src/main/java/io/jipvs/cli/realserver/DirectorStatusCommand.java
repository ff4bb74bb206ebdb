package io.jipvs.cli.realserver;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** jipvs director-status --nat: is this host ready to direct NAT traffic. */
@Command(name = "director-status", mixinStandardHelpOptions = true,
        description = {"Report whether this host is ready to be a NAT director and, if not, what is missing."
                + " Exit status 0 when ready, 1 otherwise."})
public final class DirectorStatusCommand implements Callable<Integer> {

    @Option(names = "--nat", required = true, description = "Check the NAT director requirements.")
    boolean nat;

    @Option(names = "--ipv6", description = "Check IPv6 forwarding too.")
    boolean ipv6;

    @Mixin
    HostOptions where = new HostOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int rc = Session.run("director-status", where, false, err, (host, dir) -> {
            List<Checks.Check> checks = Checks.natDirector(host.observe(), ipv6);
            boolean ok = Checks.allOk(checks);
            boolean recorded = !StateStore.forCurrentNamespace(dir, "director").load().isEmpty();
            out.println("NAT director" + (recorded ? " (set up by jipvs)" : "") + ": " + (ok ? "ready" : "NOT READY"));
            checks.forEach(c -> out.println(c.line()));
            return ok ? Session.OK : Session.FAILED;
        });
        out.flush();
        err.flush();
        return rc;
    }
}
