package io.jipvs.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request and reply bytes jipvs-client (src/main/c/jipvs-client.c) and the daemon exchange,
 * and what the daemon declines to run for whom.
 */
class WireTest {

    @Test
    void aRequestIsMagicLengthThenNulTerminatedProgramAndArguments() {
        byte[] bytes = Wire.encode(new Wire.Request("ipvsadm", List.of("-A", "-t", "10.0.0.1:80", "")));
        byte[] payload = ("ipvsadm\0-A\0-t\0" + "10.0.0.1:80\0\0").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("JPV2".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(bytes, 4));
        assertArrayEquals(new byte[] {0, 0, 0, (byte) payload.length}, Arrays.copyOfRange(bytes, 4, 8));
        assertArrayEquals(payload, Arrays.copyOfRange(bytes, 8, bytes.length));
    }

    @Test
    void decodesWhatTheClientSendsIncludingEmptyArgumentsAndNoArgumentsAtAll() throws Exception {
        for (Wire.Request r : List.of(new Wire.Request("jipvs", List.of()),
                new Wire.Request("/usr/sbin/jipvs", List.of("-Ln", "", "--netns", "blue")))) {
            byte[] bytes = Wire.encode(r);
            assertEquals(bytes.length - Wire.HEADER, Wire.payloadLength(Arrays.copyOf(bytes, Wire.HEADER)));
            assertEquals(r, Wire.decode(Arrays.copyOfRange(bytes, Wire.HEADER, bytes.length)));
        }
    }

    @Test
    void rejectsForeignHeadersOversizedAndUnterminatedRequests() throws Exception {
        assertThrows(Wire.WireException.class, () -> Wire.payloadLength("GET / HT".getBytes(StandardCharsets.US_ASCII)));
        // JPV1 carried no netlink socket: an old client's request is not served.
        assertThrows(Wire.WireException.class, () -> Wire.payloadLength(new byte[] {'J', 'P', 'V', '1', 0, 0, 0, 8}));
        // 256 KiB is the most a request may announce.
        assertEquals(256 << 10, Wire.payloadLength(new byte[] {'J', 'P', 'V', '2', 0, 4, 0, 0}));
        assertThrows(Wire.WireException.class, () -> Wire.payloadLength(new byte[] {'J', 'P', 'V', '2', 0, 4, 0, 1}));
        assertThrows(Wire.WireException.class, () -> Wire.decode("jipvs\0-Ln".getBytes(StandardCharsets.UTF_8)));
        assertThrows(Wire.WireException.class, () -> Wire.decode(new byte[0]));
    }

    @Test
    void takesAtMost4096Arguments() throws Exception {
        assertEquals(4096, Wire.decode(new byte[4097]).args().size());
        Wire.WireException e = assertThrows(Wire.WireException.class, () -> Wire.decode(new byte[4098]));
        assertEquals("request of 4097 arguments is too long", e.getMessage());
    }

    @Test
    void repliesCarryTheExitStatusBigEndianOrDeclineInOneByte() {
        assertArrayEquals(new byte[] {'S', 0, 0, 0, (byte) 255}, Wire.status(255));
        assertArrayEquals(new byte[] {'S', 0, 0, 0, 2}, Wire.status(2));
        assertArrayEquals(new byte[] {'F'}, Wire.declined());
        assertArrayEquals(new byte[] {'A'}, Wire.accepted());
    }

    @Test
    void onlyRootWithNetAdminInEffectMayUseTheDaemon() {
        String full = "Name:\tipvsadm\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n";
        String dropped = "Name:\tipvsadm\nCapEff:\t000001ffffffefff\n";
        assertEquals(true, Peer.hasCapability(full, Peer.CAP_NET_ADMIN));
        assertEquals(false, Peer.hasCapability(dropped, Peer.CAP_NET_ADMIN));
        assertEquals(false, Peer.hasCapability("Name:\tx\n", Peer.CAP_NET_ADMIN));
    }

    @Test
    void declinesWhatMustRunInTheCallersOwnProcess() {
        assertEquals(null, DaemonCommand.declines(request("-Ln"), true));
        assertEquals(null, DaemonCommand.declines(request("-R"), false));
        assertEquals("-R from a terminal", DaemonCommand.declines(request("-R"), true));
        assertEquals("a helper subcommand", DaemonCommand.declines(request("rs-status"), false));
        // Of the subcommands, apply, diff and export run there when they read standard input.
        assertEquals(null, DaemonCommand.declines(request("apply", "-f", "-"), false));
        assertEquals(null, DaemonCommand.declines(request("diff", "--json", "-f", "-"), false));
        assertEquals(null, DaemonCommand.declines(request("export"), true));
        assertEquals("-f - from a terminal", DaemonCommand.declines(request("apply", "-f", "-"), true));
        assertEquals("-f with a path (the caller opens its own files)",
                DaemonCommand.declines(request("apply", "-f", "/etc/jipvs.yaml"), false));
        assertEquals("--netns (the caller enters namespaces itself)",
                DaemonCommand.declines(request("apply", "--netns", "blue", "-f", "-"), false));
        assertEquals("--state-dir", DaemonCommand.declines(request("apply", "--state-dir", "/etc", "-f", "-"), false));
        assertEquals("a subcommand line that does not parse", DaemonCommand.declines(request("apply"), false));
        // Where a line acts is the kernel's to judge, by the socket the caller opened there.
        assertEquals(null, DaemonCommand.declines(request("--netns", "blue", "-Ln"), false));
        assertEquals(null, DaemonCommand.declines(request("--netns", "/proc/self/ns/net", "-Ln"), false));
    }

    private static Wire.Request request(String... args) {
        return new Wire.Request("jipvs", List.of(args));
    }
}
