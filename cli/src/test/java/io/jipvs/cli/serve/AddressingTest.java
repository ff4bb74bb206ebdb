package io.jipvs.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.AddressFamily;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How serve's options and API paths name addresses, services and real servers. */
class AddressingTest {
    @Test
    void listenTakesAnAddressAndAPortWithIpv6InBrackets() {
        assertEquals(new InetSocketAddress(Addresses.literal("127.0.0.1"), 9470), ServeCommand.listenAddress("127.0.0.1:9470"));
        assertEquals(new InetSocketAddress(Addresses.literal("::1"), 0), ServeCommand.listenAddress("[::1]:0"));
        assertEquals("--listen: an IPv6 address goes in brackets: [::1]:80",
                assertThrows(IllegalArgumentException.class, () -> ServeCommand.listenAddress("::1:80")).getMessage());
        assertEquals("--listen takes ADDR:PORT ([ADDR]:PORT for IPv6) or none, not localhost:80",
                assertThrows(IllegalArgumentException.class, () -> ServeCommand.listenAddress("localhost:80")).getMessage());
        assertEquals("--listen takes ADDR:PORT ([ADDR]:PORT for IPv6) or none, not 0.0.0.0:65536",
                assertThrows(IllegalArgumentException.class, () -> ServeCommand.listenAddress("0.0.0.0:65536")).getMessage());
    }

    @Test
    void servicesAreNamedByProtocolAddressAndPortOrByMark() {
        assertEquals(ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80), Routes.serviceKey("tcp:192.0.2.10:80"));
        assertEquals(ServiceKey.of(Protocol.SCTP, Addresses.literal("2001:db8::1"), 9), Routes.serviceKey("SCTP:[2001:db8::1]:9"));
        assertEquals(ServiceKey.ofFwmark(AddressFamily.INET, 5), Routes.serviceKey("fwm:5"));
        assertEquals(ServiceKey.ofFwmark(AddressFamily.INET6, 5), Routes.serviceKey("fwm:5:inet6"));
        assertNull(Routes.serviceKey("web"));
        assertNull(Routes.serviceKey("icmp:192.0.2.10:80"));
        assertNull(Routes.serviceKey("fwm:0"));
    }

    @Test
    void realServersAreAddressColonPort() {
        assertEquals(new RealServerKey(Addresses.literal("10.0.0.11"), 80), Routes.realServerKey("10.0.0.11:80"));
        assertEquals(new RealServerKey(Addresses.literal("2001:db8::11"), 80), Routes.realServerKey("[2001:db8::11]:80"));
        assertNull(Routes.realServerKey("2001:db8::11:80"), "IPv6 without brackets is ambiguous");
        assertNull(Routes.realServerKey("10.0.0.11"));
        assertNull(Routes.realServerKey("10.0.0.11:http"));
    }

    @Test
    void aTokenFileOthersMayReadIsRefused(@TempDir Path dir) throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "  abc\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("--api-token-file " + token + " is readable by others (rw-r--r--): chmod 600 it",
                assertThrows(IllegalArgumentException.class, () -> ServeCommand.token(token)).getMessage());
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertEquals("abc", new String(ServeCommand.token(token)), "white space around the token is not part of it");
        Files.writeString(token, "\n");
        assertThrows(IllegalArgumentException.class, () -> ServeCommand.token(token));
    }
}
