package io.jipvs.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.serve.Event;
import io.jipvs.model.Addresses;
import io.jipvs.model.Protocol;
import io.jipvs.model.ServiceKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** serve's log lines: logfmt that quotes what needs it, and one JSON object per line. */
class EventLogTest {
    static final Instant T = Instant.parse("2026-12-03T10:00:01.234Z");
    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, Addresses.literal("192.0.2.10"), 80);
    static final Member RS = new Member(WEB, new RealServerKey(Addresses.literal("10.0.0.11"), 80));

    static String line(boolean json, Event e) {
        StringWriter w = new StringWriter();
        new EventLog(new PrintWriter(w), json).accept(e);
        return w.toString();
    }

    @Test
    void textIsLogfmt() {
        assertEquals("time=2026-12-03T10:00:01.234Z event=down service=\"TCP 192.0.2.10:80\" real-server=10.0.0.11:80"
                        + " detail=\"connect: Connection refused\"\n",
                line(false, new Event(T, Event.Kind.DOWN, WEB, RS, null, "connect: Connection refused")));
        assertEquals("time=2026-12-03T10:00:01.234Z event=reload-failed detail=\"f.yaml:3:5: a \\\"b\\\"\\nsecond\"\n",
                line(false, new Event(T, Event.Kind.RELOAD_FAILED, null, null, null, "f.yaml:3:5: a \"b\"\nsecond")));
    }

    @Test
    void jsonIsOneObjectPerLine() {
        assertEquals("{\"time\":\"2026-12-03T10:00:01.234Z\",\"event\":\"up\",\"service\":\"TCP 192.0.2.10:80\","
                        + "\"realServer\":\"10.0.0.11:80\",\"detail\":\"status 200\"}\n",
                line(true, new Event(T, Event.Kind.UP, WEB, RS, null, "status 200")));
    }
}
