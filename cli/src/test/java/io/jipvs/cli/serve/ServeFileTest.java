package io.jipvs.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How --persist treats the operator's file on disk. */
class ServeFileTest {
    static final String FILE = """
            services:
              - { protocol: tcp, address: 192.0.2.10, port: 80, realServers: [ { address: 10.0.0.11 } ] }
            """;
    static final Member RS = new Member(ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80),
            new RealServerKey(Addresses.literal("10.0.0.11"), 80));

    @TempDir
    Path dir;

    @Test
    void anEditNobodyHasReloadedYetIsNotOverwritten() throws Exception {
        Path file = dir.resolve("jipvs.yaml");
        Files.writeString(file, FILE);
        ServeFile served = new ServeFile(file, null, "jipvs serve");
        assertNotNull(served.first(new PrintWriter(new StringWriter())));
        Files.writeString(file, FILE + "# being edited\n");
        ServeFile.Refused e = assertThrows(ServeFile.Refused.class, () -> served.persist(null, RS, 0));
        assertTrue(e.conflict);
        assertEquals(file + " changed since serve read it: reload it first, then persist", e.getMessage());
        assertEquals(FILE + "# being edited\n", Files.readString(file));
    }

    @Test
    void keepalivedConfIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("keepalived.conf");
        String conf = "virtual_server 192.0.2.10 80 {\n  protocol TCP\n  real_server 10.0.0.11 80 {\n  }\n}\n";
        Files.writeString(file, conf);
        ServeFile served = new ServeFile(file, null, "jipvs serve");
        assertNotNull(served.first(new PrintWriter(new StringWriter())));
        ServeFile.Refused e = assertThrows(ServeFile.Refused.class, () -> served.persist(null, RS, 0));
        assertFalse(e.conflict);
        assertEquals(conf, Files.readString(file));
    }

    @Test
    void aReplacedFileKeepsItsModeAndALinkStaysALink() throws Exception {
        Path real = Files.createDirectory(dir.resolve("etc jipvs")).resolve("jipvs.yaml");
        Files.writeString(real, FILE);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("jipvs.yaml"), real);
        ServeFile.replace(link, FILE.getBytes(), "new\n".getBytes());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(real));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
        try (var left = Files.list(real.getParent())) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }
    }

    @Test
    void aWriteBySomeoneElseWhileServeWritesIsNotOverwritten() throws Exception {
        Path file = dir.resolve("jipvs.yaml");
        Files.writeString(file, FILE + "# theirs\n");
        ServeFile.Refused e = assertThrows(ServeFile.Refused.class,
                () -> ServeFile.replace(file, FILE.getBytes(), "ours\n".getBytes()));
        assertTrue(e.conflict);
        assertEquals(FILE + "# theirs\n", Files.readString(file));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }
    }
}
