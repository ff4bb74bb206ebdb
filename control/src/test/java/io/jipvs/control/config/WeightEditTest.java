package io.jipvs.control.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** --persist writes one weight into the operator's file and leaves every other byte as it was. */
class WeightEditTest {
    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80);

    static Member member(String address) {
        return new Member(WEB, new RealServerKey(Addresses.literal(address), 80));
    }

    static String edit(String text, ConfigFormat format, String address, int weight) {
        byte[] out = WeightEdit.setWeight("f", text.getBytes(StandardCharsets.UTF_8), format, member(address), weight).content();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void aWeightInAFlowMappingIsReplacedAndTheRestKept() {
        String edited = edit(ServeConfigTest.EXAMPLE, ConfigFormat.YAML, "10.0.0.11", 0);
        assertEquals(ServeConfigTest.EXAMPLE.replace("weight: 3,", "weight: 0,"), edited);
    }

    @Test
    void aFlowMappingWithoutWeightGetsOneBeforeItsFirstKey() {
        String edited = edit(ServeConfigTest.EXAMPLE, ConfigFormat.YAML, "10.0.0.12", 5);
        assertEquals(ServeConfigTest.EXAMPLE.replace("{ address: 10.0.0.12,", "{ weight: 5, address: 10.0.0.12,"), edited);
    }

    static final String BLOCK = """
            # the web farm
            services:
              - name: web
                protocol: tcp
                address: 192.0.2.10   # the VIP
                port: 80
                realServers:
                  - address: 10.0.0.11
                    weight: 3         # bigger box
                  - address: 10.0.0.12
                    port: 80
            """;

    @Test
    void blockMappingsKeepTheirComments() {
        assertEquals(BLOCK.replace("weight: 3 ", "weight: 7 "), edit(BLOCK, ConfigFormat.YAML, "10.0.0.11", 7));
        assertEquals(BLOCK.replace("  - address: 10.0.0.12\n", "  - weight: 0\n        address: 10.0.0.12\n"),
                edit(BLOCK, ConfigFormat.YAML, "10.0.0.12", 0));
    }

    @Test
    void jsonToo() {
        String json = """
                {"services": [{"protocol": "tcp", "address": "192.0.2.10", "port": 80,
                  "realServers": [{"address": "10.0.0.11", "weight": 3}, {"address": "10.0.0.12"}]}]}
                """;
        assertEquals(json.replace("\"weight\": 3", "\"weight\": 2"), edit(json, ConfigFormat.JSON, "10.0.0.11", 2));
        assertEquals(json.replace("{\"address\": \"10.0.0.12\"}", "{\"weight\": 0, \"address\": \"10.0.0.12\"}"),
                edit(json, ConfigFormat.JSON, "10.0.0.12", 0));
    }

    @Test
    void textBeforeTheWeightInOtherScriptsDoesNotMisplaceIt() {
        String yaml = BLOCK.replace("- address: 10.0.0.11", "- { address: 10.0.0.11, notifyUp: [\"/bin/echo\", \"über\"], weight: 3 }")
                .replace("        weight: 3         # bigger box\n", "");
        assertTrue(edit(yaml, ConfigFormat.YAML, "10.0.0.11", 9).contains("\"über\"], weight: 9 }"));
    }

    @Test
    void aRealServerTheFileDoesNotHaveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> edit(BLOCK, ConfigFormat.YAML, "10.0.0.13", 1));
        assertEquals("f has no real server 10.0.0.13:80 in that service", e.getMessage());
    }

    @Test
    void keepalivedConfIsNotWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> edit("virtual_server 192.0.2.10 80 {\n}\n", ConfigFormat.KEEPALIVED, "10.0.0.11", 1));
        assertEquals("f is keepalived: only a jipvs YAML or JSON file can be written; set the weight there by hand",
                e.getMessage());
    }

    @Test
    void aWeightWrittenAnotherWayIsNotGuessedAt() {
        String yaml = BLOCK.replace("weight: 3 ", "weight: 0x3");
        assertEquals(3, ConfigReader.read("f", yaml, ConfigFormat.YAML).services().get(0).realServers().get(0).weight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> edit(yaml, ConfigFormat.YAML, "10.0.0.11", 1));
        assertEquals("cannot place the weight of 10.0.0.11:80 in f by an edit of its text; set it there by hand",
                e.getMessage());
    }

    @Test
    void aJsonFileReadAsYamlStaysJson() {
        String json = "{\"services\": [{\"protocol\": \"tcp\", \"address\": \"192.0.2.10\", \"port\": 80,"
                + " \"realServers\": [{\"address\": \"10.0.0.12\"}]}]}\n";
        assertEquals(json.replace("{\"address\": \"10.0.0.12\"}", "{\"weight\": 0, \"address\": \"10.0.0.12\"}"),
                edit(json, ConfigFormat.YAML, "10.0.0.12", 0));
    }

    @Test
    void aLineOfItsOwnEndsAsTheFilesLinesDo() {
        String crlf = BLOCK.replace("\n", "\r\n");
        assertEquals(crlf.replace("  - address: 10.0.0.12\r\n", "  - weight: 0\r\n        address: 10.0.0.12\r\n"),
                edit(crlf, ConfigFormat.YAML, "10.0.0.12", 0));
    }

    @Test
    void theWeightTheFileAlreadyHasWritesNothing() {
        assertEquals(BLOCK, edit(BLOCK, ConfigFormat.YAML, "10.0.0.12", 1), "1 is the default");
        assertEquals(BLOCK, edit(BLOCK, ConfigFormat.YAML, "10.0.0.11", 3));
    }
}
