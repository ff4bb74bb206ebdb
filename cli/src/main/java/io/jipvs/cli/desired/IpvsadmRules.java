package io.jipvs.cli.desired;

import io.jipvs.cli.exec.RestorePlan;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.cli.names.SystemResolver;
import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.Destination;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.Timeouts;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ipvsadm rules file (ipvsadm -S output, as /etc/ipvsadm.rules) read as a desired state: the
 * table a restore of it from empty would leave. Lines are parsed by the ipvsadm parser, so they
 * mean exactly what they mean to {@code jipvs -R}; a line ipvsadm would refuse is an error
 * {@code FILE:LINE:} with ipvsadm's message, and lines that only read or print are refused.
 */
final class IpvsadmRules {
    private IpvsadmRules() {
    }

    static DesiredState read(String source, byte[] content, String program) {
        IpvsadmParser parser = new IpvsadmParser(program, new SystemResolver());
        Map<ServiceKey, Service> services = new LinkedHashMap<>();
        Map<ServiceKey, Map<RealServerKey, Destination>> realServers = new LinkedHashMap<>();
        Timeouts timeouts = null;
        List<SyncDaemon> daemons = null;
        List<ConfigError> errors = new ArrayList<>();
        for (RestorePlan.Step step : RestorePlan.plan(withoutComments(content), parser)) {
            String problem = null;
            if (step instanceof RestorePlan.Rejected r) {
                problem = r.message();
            } else if (step instanceof RestorePlan.Direct) {
                problem = "not a rule (a listing or help line)";
            } else if (step instanceof RestorePlan.Change c) {
                IpvsMutation m = c.mutation();
                if (m instanceof IpvsMutation.AddService a) {
                    if (services.putIfAbsent(a.service().key(), a.service()) != null) {
                        problem = "Service already exists";
                    } else {
                        realServers.put(a.service().key(), new LinkedHashMap<>());
                    }
                } else if (m instanceof IpvsMutation.UpdateService u) {
                    problem = services.replace(u.service().key(), u.service()) == null ? "No such service" : null;
                } else if (m instanceof IpvsMutation.DeleteService d) {
                    problem = services.remove(d.key()) == null ? "No such service" : null;
                    realServers.remove(d.key());
                } else if (m instanceof IpvsMutation.AddDestination a) {
                    Map<RealServerKey, Destination> of = realServers.get(a.service());
                    problem = of == null ? "Service not defined"
                            : of.putIfAbsent(RealServerKey.of(a.destination()), a.destination()) != null
                            ? "Destination already exists" : null;
                } else if (m instanceof IpvsMutation.UpdateDestination u) {
                    Map<RealServerKey, Destination> of = realServers.get(u.service());
                    problem = of == null ? "Service not defined"
                            : of.replace(RealServerKey.of(u.destination()), u.destination()) == null
                            ? "No such destination" : null;
                } else if (m instanceof IpvsMutation.DeleteDestination d) {
                    Map<RealServerKey, Destination> of = realServers.get(d.service());
                    problem = of == null ? "Service not defined"
                            : of.remove(new RealServerKey(d.address(), d.port())) == null ? "No such destination" : null;
                } else if (m instanceof IpvsMutation.Flush) {
                    services.clear();
                    realServers.clear();
                } else if (m instanceof IpvsMutation.SetTimeouts t) {
                    timeouts = t.timeouts();
                } else if (m instanceof IpvsMutation.StartDaemon d) {
                    daemons = daemons == null ? new ArrayList<>() : daemons;
                    daemons.removeIf(x -> x.state() == d.daemon().state());
                    daemons.add(d.daemon());
                } else if (m instanceof IpvsMutation.StopDaemon d) {
                    daemons = daemons == null ? new ArrayList<>() : daemons;
                    daemons.removeIf(x -> x.state() == d.state());
                }
                // -Z zeroes counters: nothing a desired state holds.
            }
            if (problem != null) {
                errors.add(new ConfigError(source, step.line(), 0, "", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        List<DesiredService> out = new ArrayList<>();
        services.forEach((key, service) ->
                out.add(new DesiredService(null, service, null, new ArrayList<>(realServers.get(key).values()))));
        return new DesiredState(out, timeouts, daemons, Map.of());
    }

    /**
     * The rules with '#' comment lines blanked (line numbers kept): ipvsadm -R takes them for
     * options and fails, so distributions' restore scripts filter them out first; so does this.
     */
    static byte[] withoutComments(byte[] content) {
        byte[] out = content.clone();
        boolean lineStart = true;
        boolean comment = false;
        for (int i = 0; i < out.length; i++) {
            byte b = out[i];
            if (b == '\n') {
                lineStart = true;
                comment = false;
                continue;
            }
            if (lineStart && b != ' ' && b != '\t') {
                comment = b == '#';
                lineStart = false;
            }
            if (comment) {
                out[i] = ' ';
            }
        }
        return out;
    }
}
