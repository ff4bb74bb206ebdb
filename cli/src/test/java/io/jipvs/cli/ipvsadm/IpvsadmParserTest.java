package io.jipvs.cli.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.cli.names.Resolver;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpvsadmParserTest {
    private final IpvsadmParser parser = new IpvsadmParser("ipvsadm", Resolver.NONE);

    private Invocation ok(String line) {
        return parser.parse(List.of(line.split(" ")));
    }

    private void rejects(String line, int status, String message) {
        UsageException e = assertThrows(UsageException.class, () -> ok(line));
        assertEquals(message, e.getMessage());
        assertEquals(status, e.exitCode());
    }

    @Test
    void firstOptionMustBeACommand() {
        String tryHelp = "Try `ipvsadm -h' or 'ipvsadm --help' for more information.";
        rejects("-n -L", 255, tryHelp);
        rejects("-nL", 255, tryHelp);
        rejects("-V", 255, tryHelp);
        rejects("--clear=x", 255, tryHelp);
        rejects("foo", 255, tryHelp);
    }

    @Test
    void laterCommandsNameTheWholeToken() {
        rejects("-L -A", 2, "invalid option `-A'");
        rejects("-LA", 2, "invalid option `-LA'");
        rejects("-L -nA", 2, "invalid option `-nA'");
        rejects("-L -h", 2, "invalid option `-h'");
    }

    @Test
    void poptErrorsAfterTheCommand() {
        rejects("-Lz", 255, "-Lz: unknown option");
        rejects("-L --foo", 255, "--foo: unknown option");
        rejects("-L --tcp-serv 1.2.3.4:80", 255, "--tcp-serv: unknown option");
        rejects("-L --numeric=1", 255, "--numeric=1: option does not take an argument");
        rejects("-A -t 1.2.3.4:80 -s", 255, "-s: missing argument");
        rejects("-A -t 1.2.3.4:80 -p -5", 255, "-5: unknown option");
        assertEquals(UsageException.Kind.POPT,
                assertThrows(UsageException.class, () -> ok("-L --foo")).kind());
    }

    @Test
    void bundledAndAttachedArguments() {
        Invocation inv = ok("-At1.2.3.4:80");
        assertEquals(CommandKind.ADD_SERVICE, inv.command());
        assertEquals(80, inv.servicePort());
        assertEquals(81, ok("-At=1.2.3.4:81").servicePort());
        assertEquals("-n", ok("-A -t 1.2.3.4:80 -s -n").scheduler());
        rejects("-A -tcp-service 1.2.3.4:80", 2, "illegal virtual server address[:port] specified");
    }

    @Test
    void persistenceHasAnOptionalArgument() {
        assertEquals(360, ok("-A -t 1.2.3.4:80 -p").persistenceTimeout());
        assertEquals(600, ok("-A -t 1.2.3.4:80 -p600").persistenceTimeout());
        assertEquals(601, ok("-A -t 1.2.3.4:80 -p 601 -s rr").persistenceTimeout());
        assertEquals(360, ok("-A -t 1.2.3.4:80 -p -s rr").persistenceTimeout());
        rejects("-A -t 1.2.3.4:80 -p foo", 2, "invalid timeout value `foo' specified");
    }

    @Test
    void valueErrorsAndDuplicates() {
        rejects("-A -t 1234", 2, "illegal virtual server address[:port] specified");
        rejects("-A -f 0", 2, "invalid fwmark value `0' specified");
        rejects("-A -f 4294967296", 2, "invalid fwmark value `4294967296' specified");
        rejects("-A -6 -f 1", 2, "-6 used before -f\n");
        rejects("-a -t 1.2.3.4:80 -r 10.0.0.1 -w -1", 2, "illegal weight specified");
        assertEquals(5, ok("-a -t 1.2.3.4:80 -r 10.0.0.1 -w +5").weight());
        rejects("-A -t 1.2.3.4:80 -s rr -s wrr", 2, "multiple 'scheduler' options specified");
        rejects("-a -t 1.2.3.4:80 -r 1.1.1.1 -m -g", 2, "multiple 'forwarding-method' options specified");
        rejects("--start-daemon foo", 2, "illegal start-daemon parameter specified");
        rejects("--stop-daemon foo", 2, "illegal start_daemon specified");
        rejects("--start-daemon master --mcast-group 10.0.0.1", 2, "invalid IPv4 mcast-group `10.0.0.1'");
    }

    @Test
    void setAndPositionals() {
        assertEquals(900, ok("900 --set 120 300").timeouts()[0]);
        rejects("--set 1 2", 2, "--set option requires 3 timeout values");
        rejects("--set 1 2 x", 2, "invalid timeout value `x' specified");
        rejects("--set 1 2 3 4", 2, "unexpected argument 4");
        rejects("-L -n foo bar", 2, "unexpected argument foo");
    }

    @Test
    void matrixInColumnOrder() {
        rejects("-A -n", 2, "Illegal 'numeric' option with the 'add-service' command");
        rejects("-A", 2, "You need to supply the 'service-address' option for the 'add-service' command");
        rejects("-L --daemon --timeout", 2, "The option 'daemon' conflicts with the 'timeout' option in the 'list' command");
        rejects("-L -t 1.2.3.4:80 -c", 2,
                "The option 'service-address' conflicts with the 'connection' option in the 'list' command");
        rejects("-L -b foo", 2, "invalid scheduler flag `foo'");
        rejects("-R -n", 2, "Illegal 'numeric' option with the 'restore' command");
    }

    @Test
    void perCommandChecks() {
        rejects("-A -t 1.2.3.4:0", 2, "Zero port specified for non-persistent service");
        rejects("-A -t 1.2.3.4:80 -o", 2, "One-Packet Scheduling is only for UDP virtual services");
        rejects("-a -t 1.2.3.4:80 -r [2001:db8::1]:80 -m", 2,
                "Different address family is allowed only for tunneling servers");
        rejects("-a -t 1.2.3.4:80 -r 10.0.0.1 --tun-csum", 2, "Tunnel options conflict with forward method");
        rejects("-a -t 1.2.3.4:80 -r 10.0.0.1 -i --tun-port 5", 2,
                "Illegal 'tun-port' option with the 'ipip' tunnel type");
        rejects("-a -t 1.2.3.4:80 -r 10.0.0.1 -i --tun-type gue", 2,
                "You need to supply the 'tun-port' option for the 'gue' tunnel type");
        rejects("-a -t 1.2.3.4:80 -r 10.0.0.1 -i --tun-type gue --tun-port 1 --tun-csum --tun-nocsum", 2,
                "The option 'tun-csum' conflicts with the 'tun-nocsum' option in the 'gue' tunnel type");
        rejects("-L -c --stats", 2, "options conflicts in the list command");
        assertEquals(80, ok("-a -t 1.2.3.4:80 -r 10.0.0.1:8080 -g").destinationPort());
        assertEquals(8080, ok("-a -t 1.2.3.4:80 -r 10.0.0.1:8080 -m").destinationPort());
        assertEquals(0, ok("-a -r 10.0.0.1 -t 1.2.3.4:80 -m").destinationPort());
        assertEquals("wlc", ok("-E -t 1.2.3.4:80").scheduler());
    }

    @Test
    void schedulerFlags() {
        assertEquals(Invocation.F_SCHED2, ok("-A -t 1.2.3.4:80 -s sh -b sh-port").flags());
        rejects("-A -t 1.2.3.4:80 -s rr -b sh-port", 2, "incompatible scheduler flag `sh-port'");
        assertEquals(0, parser.parse(List.of("-A", "-t", "1.2.3.4:80", "-b", "")).flags());
        // ipvsadm crashes here; jipvs's one documented deviation is a clear error.
        assertEquals(2, assertThrows(UsageException.class, () -> parser.parse(List.of("-A", "-t", "1.2.3.4:80",
                "-b", ","))).exitCode());
    }

    @Test
    void addresses() {
        assertEquals("/1.2.0.3", ok("-A -t 1.2.3:80").serviceAddress().toString());
        assertEquals("/127.0.0.1", ok("-A -t 0x7f.1:80").serviceAddress().toString());
        assertEquals("/1.2.3.4", ok("-A -t 16909060:80").serviceAddress().toString());
        assertEquals("/8.0.0.6", ok("-A -t 010.0.0.6:80").serviceAddress().toString());
        Invocation v6 = ok("-A -t 2001:db8::1:80 -p");
        assertEquals(0, v6.servicePort());
        assertEquals(Invocation.AF_INET6, v6.serviceFamily());
        assertEquals(128, ok("-A -M 64 -t [2001:db8::1]:80 -p").netmask());
        assertEquals(0xFFFFFF00L, ok("-A -f 1 -M 255.255.255.0 -p").netmask());
        assertEquals(24L, ok("-A -f 1 -M 24 -p").netmask());
        rejects("-A -t [::1]", 2, "illegal virtual server address[:port] specified");
        rejects("-A -t [2001:db8::1]80", 2, "illegal virtual server address[:port] specified");
        rejects("-A -t [2001:db8::1]:80 -M 255.255.255.0 -p", 2, "illegal ipv6 netmask specified");
    }
}
