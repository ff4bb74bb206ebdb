package io.jipvs.cli.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.format.ListMode;
import io.jipvs.cli.ipvsadm.IpvsadmCommand.Subject;
import io.jipvs.cli.names.Resolver;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Destination;
import io.jipvs.model.ForwardingMethod;
import io.jipvs.model.Protocol;
import io.jipvs.model.Service;
import io.jipvs.model.ServiceFlag;
import io.jipvs.model.ServiceKey;
import io.jipvs.model.SyncDaemon;
import io.jipvs.model.SyncState;
import io.jipvs.model.Timeouts;
import io.jipvs.model.TunnelChecksum;
import io.jipvs.model.TunnelType;
import io.jipvs.netlink.ipvs.IpvsMutation;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpvsadmParserTest {
    private final IpvsadmParser parser = new IpvsadmParser("ipvsadm", Resolver.NONE);

    private IpvsadmCommand ok(String line) {
        return parser.parse(List.of(line.split(" ")));
    }

    private Service service(String line) {
        return ((IpvsadmCommand.AddService) ok(line)).service();
    }

    private Destination destination(String line) {
        return ((IpvsadmCommand.AddDestination) ok(line)).destination();
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
        assertEquals(80, service("-At1.2.3.4:80").key().port());
        assertEquals(81, service("-At=1.2.3.4:81").key().port());
        assertEquals("-n", service("-A -t 1.2.3.4:80 -s -n").scheduler());
        rejects("-A -tcp-service 1.2.3.4:80", 2, "illegal virtual server address[:port] specified");
    }

    @Test
    void persistenceHasAnOptionalArgument() {
        assertEquals(360, service("-A -t 1.2.3.4:80 -p").timeout());
        assertEquals(600, service("-A -t 1.2.3.4:80 -p600").timeout());
        assertEquals(601, service("-A -t 1.2.3.4:80 -p 601 -s rr").timeout());
        assertEquals(360, service("-A -t 1.2.3.4:80 -p -s rr").timeout());
        assertTrue(service("-A -t 1.2.3.4:80 -p").persistent());
        rejects("-A -t 1.2.3.4:80 -p foo", 2, "invalid timeout value `foo' specified");
    }

    @Test
    void valueErrorsAndDuplicates() {
        rejects("-A -t 1234", 2, "illegal virtual server address[:port] specified");
        rejects("-A -f 0", 2, "invalid fwmark value `0' specified");
        rejects("-A -f 4294967296", 2, "invalid fwmark value `4294967296' specified");
        rejects("-A -6 -f 1", 2, "-6 used before -f\n");
        rejects("-a -t 1.2.3.4:80 -r 10.0.0.1 -w -1", 2, "illegal weight specified");
        assertEquals(5, destination("-a -t 1.2.3.4:80 -r 10.0.0.1 -w +5").weight());
        rejects("-A -t 1.2.3.4:80 -s rr -s wrr", 2, "multiple 'scheduler' options specified");
        rejects("-a -t 1.2.3.4:80 -r 1.1.1.1 -m -g", 2, "multiple 'forwarding-method' options specified");
        rejects("--start-daemon foo", 2, "illegal start-daemon parameter specified");
        rejects("--stop-daemon foo", 2, "illegal start_daemon specified");
        rejects("--start-daemon master --mcast-group 10.0.0.1", 2, "invalid IPv4 mcast-group `10.0.0.1'");
    }

    @Test
    void setAndPositionals() {
        assertEquals(new IpvsadmCommand.SetTimeouts(new Timeouts(900, 120, 300)), ok("900 --set 120 300"));
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
        assertEquals(80, destination("-a -t 1.2.3.4:80 -r 10.0.0.1:8080 -g").port());
        assertEquals(8080, destination("-a -t 1.2.3.4:80 -r 10.0.0.1:8080 -m").port());
        assertEquals(0, destination("-a -r 10.0.0.1 -t 1.2.3.4:80 -m").port());
        assertEquals("wlc", ((IpvsadmCommand.EditService) ok("-E -t 1.2.3.4:80")).service().scheduler());
    }

    @Test
    void schedulerFlags() {
        assertEquals(Set.of(ServiceFlag.SCHED2), service("-A -t 1.2.3.4:80 -s sh -b sh-port").flags());
        assertEquals(Set.of(ServiceFlag.SCHED1, ServiceFlag.SCHED3),
                service("-A -t 1.2.3.4:80 -b flag-3,,flag-1").flags());
        rejects("-A -t 1.2.3.4:80 -s rr -b sh-port", 2, "incompatible scheduler flag `sh-port'");
        rejects("-A -t 1.2.3.4:80 -b mh-port", 2, "incompatible scheduler flag `mh-port'"); // the default is wlc
        assertEquals(Set.of(), ((IpvsadmCommand.AddService) parser.parse(List.of("-A", "-t", "1.2.3.4:80", "-b", "")))
                .service().flags());
        // ipvsadm crashes here; jipvs's one documented deviation is a clear error.
        assertEquals(2, assertThrows(UsageException.class, () -> parser.parse(List.of("-A", "-t", "1.2.3.4:80",
                "-b", ","))).exitCode());
    }

    @Test
    void addresses() {
        assertEquals("/1.2.0.3", service("-A -t 1.2.3:80").key().address().toString());
        assertEquals("/127.0.0.1", service("-A -t 0x7f.1:80").key().address().toString());
        assertEquals("/1.2.3.4", service("-A -t 16909060:80").key().address().toString());
        assertEquals("/8.0.0.6", service("-A -t 010.0.0.6:80").key().address().toString());
        ServiceKey v6 = service("-A -t 2001:db8::1:80 -p").key();
        assertEquals(0, v6.port());
        assertEquals(AddressFamily.INET6, v6.family());
        assertEquals(128, service("-A -M 64 -t [2001:db8::1]:80 -p").netmask());
        assertEquals(0xFFFFFF00L, service("-A -f 1 -M 255.255.255.0 -p").netmask());
        assertEquals(24L, service("-A -f 1 -M 24 -p").netmask());
        assertEquals(ServiceKey.ofFwmark(AddressFamily.INET6, 7), service("-A -f 7 -6").key());
        assertEquals(128, service("-A -f 7 -6").netmask());
        rejects("-A -t [::1]", 2, "illegal virtual server address[:port] specified");
        rejects("-A -t [2001:db8::1]80", 2, "illegal virtual server address[:port] specified");
        rejects("-A -t [2001:db8::1]:80 -M 255.255.255.0 -p", 2, "illegal ipv6 netmask specified");
    }

    @Test
    void anIpv4AddressWithTwoColonsIsNoAddress() {
        // inet_pton refuses "1.2.3.4::"; split at the last ':' it is host "1.2.3.4:" with no port
        rejects("-A -t 1.2.3.4:: -p", 2, "illegal virtual server address[:port] specified");
        rejects("-a -t 1.2.3.4:80 -r 1.2.3.4::", 2, "illegal real server address[:port] specified");
    }

    @Test
    void namesAreCutToTheKernelsFifteenBytesWithoutSplittingACharacter() {
        assertEquals("abcdefghijklmno", service("-A -t 1.2.3.4:80 -s abcdefghijklmnopqrst").scheduler());
        // é is two bytes in UTF-8: seven fit in 15 bytes, the eighth would not
        assertEquals("ééééééé", service("-A -t 1.2.3.4:80 -s ééééééééé").scheduler());
        assertEquals("aééééééé", service("-A -t 1.2.3.4:80 -s aéééééééé").scheduler());
        // € is three bytes: five fit; an emoji (a surrogate pair in Java) is four: three fit
        assertEquals("€€€€€", service("-A -t 1.2.3.4:80 -s €€€€€€").scheduler());
        assertEquals("\ud83d\ude00\ud83d\ude00\ud83d\ude00",
                service("-A -t 1.2.3.4:80 -s \ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00").scheduler());
        assertEquals("ééééééé", service("-A -t 1.2.3.4:80 -p --pe ééééééééé").persistenceEngine());
        IpvsadmCommand.StartDaemon d =
                (IpvsadmCommand.StartDaemon) ok("--start-daemon master --mcast-interface ééééééééé");
        assertEquals("ééééééé", d.daemon().interfaceName());
    }

    @Test
    void changeCommandsCarryModelValuesAndTheirMutation() {
        InetAddress vip = Addresses.of(new byte[] {1, 2, 3, 4});
        InetAddress rip = Addresses.of(new byte[] {10, 0, 0, 1});
        ServiceKey key = ServiceKey.of(Protocol.UDP, vip, 53);
        Service add = service("-A -u 1.2.3.4:53 -s rr -p 60 -M 255.255.255.0 -o");
        assertEquals(Service.builder(key).scheduler("rr").persistent(60).netmask(0xFFFFFF00L)
                .flag(ServiceFlag.ONE_PACKET).build(), add);
        assertEquals(new IpvsMutation.AddService(add), ((IpvsadmCommand.Change) ok("-A -u 1.2.3.4:53 -s rr -p 60 "
                + "-M 255.255.255.0 -o")).mutation());
        assertEquals(new IpvsadmCommand.DeleteService(key), ok("-D -u 1.2.3.4:53"));
        assertEquals(new IpvsadmCommand.EditDestination(key, new Destination(rip, 53, ForwardingMethod.TUNNEL, 3, 100,
                        50, TunnelType.GUE, 6080, TunnelChecksum.REMCSUM)),
                ok("-e -u 1.2.3.4:53 -r 10.0.0.1:99 -i -w 3 -x 100 -y 50 --tun-type gue --tun-port 6080 --tun-remcsum"));
        assertEquals(new IpvsadmCommand.DeleteDestination(key, rip, 53), ok("-d -u 1.2.3.4:53 -r 10.0.0.1:99"));
        assertEquals(new IpvsadmCommand.Zero(key), ok("-Z -u 1.2.3.4:53"));
        assertEquals(new IpvsadmCommand.Zero(null), ok("-Z"));
        assertEquals(new IpvsadmCommand.Zero(null), ok("-Z -t 0.0.0.0:0"));
        assertEquals(new IpvsadmCommand.Flush(), ok("-C"));
        assertEquals(new IpvsadmCommand.StartDaemon(new SyncDaemon(SyncState.BACKUP, "eth0", 7, 1400,
                        Addresses.of(new byte[] {(byte) 239, 1, 1, 1}), 8849, 2)),
                ok("--start-daemon backup --syncid 7 --sync-maxlen 1400 --mcast-group 239.1.1.1 --mcast-port 8849 "
                        + "--mcast-ttl 2"));
        assertEquals(new IpvsadmCommand.StopDaemon(SyncState.MASTER), ok("--stop-daemon master"));
    }

    @Test
    void listingOptions() {
        assertEquals(new IpvsadmCommand.Listing(Subject.SERVICES, null, ListMode.PLAIN, false, false, true, false),
                ok("-L"));
        assertEquals(new IpvsadmCommand.Listing(Subject.SERVICES, null, ListMode.STATS, true, true, false, true),
                ok("-l -n --rate --stats -X --nosort --json"));
        assertEquals(new IpvsadmCommand.Listing(Subject.SERVICES, ServiceKey.ofFwmark(AddressFamily.INET, 3),
                ListMode.TUN_INFO, false, false, true, false), ok("-L -f 3 --tun-info"));
        assertEquals(new IpvsadmCommand.Listing(Subject.CONNECTIONS, null, ListMode.PERSISTENT_CONN, true, false, true,
                false), ok("-Lcn --persistent-conn"));
        assertEquals(Subject.TIMEOUTS, ((IpvsadmCommand.Listing) ok("-L --timeout")).subject());
        assertEquals(Subject.DAEMONS, ((IpvsadmCommand.Listing) ok("-L --daemon")).subject());
        assertEquals(new IpvsadmCommand.Save(true, false), ok("-S -n"));
        assertEquals(new IpvsadmCommand.Restore(), ok("-R"));
        assertEquals(new IpvsadmCommand.Help(), ok("-h --nonsense"));
        assertEquals(new IpvsadmCommand.Version(), ok("-v"));
    }
}
