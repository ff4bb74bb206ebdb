package io.jipvs.cli.exec;

import io.jipvs.netlink.nltest.MemoryIpvs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jipvs.cli.names.Resolver;
import io.jipvs.model.Timeouts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command lines run through the executor against a table in memory, as they would against the kernel. */
class ExecutorTest {
    private final MemoryIpvs table = new MemoryIpvs();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private InputStream in = InputStream.nullInputStream();
    private Path connections = Path.of("/nonexistent/ip_vs_conn");

    private int run(String line) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Executor executor = new Executor(table, new ConnectionTable(null, connections), "ipvsadm", Resolver.NONE,
                in, o, e);
        return executor.execute(List.of(line.split(" ")));
    }

    private String out() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    private String err() {
        String s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    @Test
    void changesAndListingsGoThroughTheIpvsInterface() {
        assertEquals(0, run("-A -t 10.0.0.1:80 -s rr"));
        assertEquals(0, run("-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 2"));
        assertEquals(0, run("--set 60 0 0"));
        assertEquals(3, table.applied.size());
        assertEquals(new Timeouts(60, 0, 0), table.timeouts);

        assertEquals(0, run("-S -n"));
        assertEquals("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m -w 2\n", out());
        assertEquals(0, run("-L -n --timeout"));
        assertEquals("Timeout (tcp tcpfin udp): 60 0 0\n", out());
        assertEquals("", err());
    }

    @Test
    void kernelRefusalsKeepIpvsadmsTextsAndStatuses() {
        run("-A -t 10.0.0.1:80");
        assertEquals(255, run("-A -t 10.0.0.1:80"));
        assertEquals("Service already exists\n", err());
        assertEquals(255, run("-D -t 10.0.0.9:80"));
        assertEquals("No such service\n", err());
        assertEquals(1, run("-L -n -t 10.0.0.9:80"));
        assertEquals("No such service\n", err());
        assertEquals(2, run("-A -t 10.0.0.1:0"));
        assertEquals("Zero port specified for non-persistent service\n", err());
        assertEquals(1, table.services.size());
    }

    @Test
    void restoreAppliesChangesInBatchesBetweenListings() {
        in = new ByteArrayInputStream(("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2 -g\n-S -n\n"
                + "-A -t 10.0.0.1:80\n-C\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, run("-R"));
        assertEquals(List.of(2, 2), table.batches);
        assertEquals("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 1\n", out());
        assertEquals("Service already exists\n", err());
        assertTrue(table.services.isEmpty());
    }

    @Test
    void restoreInputThatCannotBeReadIsAnErrorAfterTheLinesReadBeforeIt() {
        in = new FailingInput("-A -t 10.0.0.1:80\n-C\n");
        assertEquals(1, run("-R"));
        assertEquals("ipvsadm: cannot read the restore input: Input/output error\n", err());
        assertEquals(2, table.applied.size()); // -A then -C: both lines were whole before the failure
        assertTrue(table.services.isEmpty());
    }

    @Test
    void connectionTableThatCannotBeOpenedSaysSoAsIpvsadmDoes() {
        assertEquals(1, run("-L -c -n"));
        assertEquals("cannot open file /proc/net/ip_vs_conn\n", err());
    }

    @Test
    void connectionTableThatCannotBeReadSaysWhatFailed(@TempDir Path dir) {
        connections = dir; // opens, but read(2) fails with EISDIR
        assertEquals(1, run("-L -c -n"));
        assertEquals("ipvsadm: cannot read /proc/net/ip_vs_conn: Is a directory\n", err());
    }

    @Test
    void connectionTable(@TempDir Path dir) throws IOException {
        connections = dir.resolve("ip_vs_conn");
        Files.writeString(connections, "");
        assertEquals(1, run("-L -c -n"));
        assertEquals("unexpected input from /proc/net/ip_vs_conn\n", err());
        Files.writeString(connections, "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
                + "TCP 0A000001 D431 0A000063 0050 0A000002 0050 ESTABLISHED    899\n");
        assertEquals(0, run("-L -c -n"));
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 14:59  ESTABLISHED 10.0.0.1:54321     10.0.0.99:80       10.0.0.2:80\n", out());
    }

    @Test
    void connectionTableAsJsonIsWrittenAsItIsRead(@TempDir Path dir) throws IOException {
        connections = dir.resolve("ip_vs_conn");
        String entry = "TCP 0A000001 D431 0A000063 0050 0A000002 0050 ESTABLISHED    899";
        Files.writeString(connections, "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n"
                + entry + "\n");
        assertEquals(0, run("-L -c --json"));
        assertEquals("""
                {
                  "connections" : [ {
                    "protocol" : "tcp",
                    "client" : {
                      "address" : "10.0.0.1",
                      "port" : 54321
                    },
                    "virtual" : {
                      "address" : "10.0.0.99",
                      "port" : 80
                    },
                    "destination" : {
                      "address" : "10.0.0.2",
                      "port" : 80
                    },
                    "state" : "ESTABLISHED",
                    "expires" : 899
                  } ]
                }
                """, out());
        Files.writeString(connections, "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n");
        assertEquals(0, run("-L -c --json"));
        assertEquals("{\n  \"connections\" : [ ]\n}\n", out());
        assertEquals("", err());
    }
}
