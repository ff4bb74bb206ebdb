package io.jipvs.control.config.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import io.jipvs.control.config.ConfigFormat;
import io.jipvs.control.config.ConfigReader;
import io.jipvs.control.config.ConfigWriter;
import io.jipvs.control.desired.Supervised;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived.conf as input: a file written for these tests (every keyword the issue lists, an
 * include, a group, VRRP) converts to the expected YAML with keepalived's defaults written out,
 * one warning per keyword not carried over, and the YAML reads back to the same state.
 */
class KeepalivedReaderTest {
    static Path resource(String name) throws URISyntaxException {
        return Path.of(KeepalivedReaderTest.class.getResource("/keepalived/" + name).toURI());
    }

    static KeepalivedReader.Result convert() throws Exception {
        Path conf = resource("keepalived.conf");
        return KeepalivedReader.read("keepalived.conf", Files.readAllBytes(conf), conf.getParent());
    }

    @Test
    void convertsToTheExpectedYaml() throws Exception {
        String yaml = ConfigWriter.write(convert().file(), ConfigFormat.YAML);
        Path out = Path.of("target", "keepalived-converted.yaml");
        Files.writeString(out, yaml);
        assertEquals(Files.readString(resource("expected.yaml")), yaml, "actual output in " + out.toAbsolutePath());
    }

    @Test
    void theYamlReadsBackToTheSameState() throws Exception {
        Supervised converted = convert().file();
        String yaml = ConfigWriter.write(converted, ConfigFormat.YAML);
        Supervised back = ConfigReader.readSupervised("converted.yaml", yaml.getBytes(StandardCharsets.UTF_8),
                ConfigFormat.YAML);
        assertEquals(converted, back);
    }

    @Test
    void everyKeywordNotCarriedOverIsOneWarning() throws Exception {
        List<String> warnings = convert().warnings().stream().map(ConfigError::toString).toList();
        assertEquals(Files.readAllLines(resource("expected-warnings.txt")), warnings);
    }

    @Test
    void theFormatIsDetected() {
        assertEquals(ConfigFormat.KEEPALIVED, ConfigFormat.detect("! comment\nvirtual_server 1.2.3.4 80 {\n}\n"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(ConfigFormat.KEEPALIVED, ConfigFormat.detect("# comment\n\nglobal_defs {\n}\n"
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals(ConfigFormat.YAML, ConfigFormat.detect("services: []\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badValuesAreErrorsWithTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedReader.read("k.conf", """
                virtual_server 192.0.2.1 80 {
                    protocol TCP
                    lb_kind FOO
                    real_server 10.0.0.x 80 {
                    }
                }
                virtual_server 192.0.2.2 80 {
                """.getBytes(StandardCharsets.UTF_8), null));
        assertEquals(List.of("k.conf:7:29: '{' is never closed"),
                e.errors().stream().map(ConfigError::toString).toList());
        ConfigException values = assertThrows(ConfigException.class, () -> KeepalivedReader.read("k.conf", """
                virtual_server 192.0.2.1 80 {
                    protocol TCP
                    lb_kind FOO
                    real_server 10.0.0.x 80 {
                    }
                }
                """.getBytes(StandardCharsets.UTF_8), null));
        assertEquals(List.of("k.conf:3:5: virtual_server 192.0.2.1 80: lb_kind must be NAT, DR or TUN, not FOO",
                        "k.conf:4:5: virtual_server 192.0.2.1 80 > real_server 10.0.0.x 80: '10.0.0.x' is not an IPv4"
                                + " or IPv6 address"),
                values.errors().stream().map(ConfigError::toString).toList());
    }


    @Test
    void lvsSyncDaemonInEveryFormKeepalivedTakes() {
        String instance = """
                vrrp_instance VI_1 {
                    virtual_router_id 51
                    virtual_ipaddress {
                        192.0.2.10/24 dev eth0
                    }
                }
                """;
        for (String line : List.of("lvs_sync_daemon eth1 inst VI_1", "lvs_sync_daemon eth1 VI_1", "lvs_sync_daemon eth1 VI_1 51")) {
            KeepalivedReader.Result r = KeepalivedReader.read("k.conf", ("global_defs {\n    " + line + "\n}\n" + instance)
                    .getBytes(StandardCharsets.UTF_8), null);
            assertEquals(new io.jipvs.control.desired.SyncPair("eth1", 51, 0, null, 0, 0,
                    io.jipvs.model.Addresses.literal("192.0.2.10")), r.file().syncPair(), line);
            List<String> warnings = r.warnings().stream().map(ConfigError::toString)
                    .filter(w -> w.contains("lvs_sync_daemon")).toList();
            assertEquals(line.endsWith(" 51") ? 2 : 1, warnings.size(), line + ": " + warnings);
            assertEquals("k.conf:2:5: global_defs.lvs_sync_daemon: warning: carried over as syncDaemon: remove it from the"
                    + " keepalived.conf keepalived keeps running, whose VRRP process would otherwise drive the same kernel"
                    + " daemons as serve", warnings.get(warnings.size() - 1));
        }
    }
}
