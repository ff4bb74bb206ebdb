package io.jipvs.cli.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jipvs.cli.desired.PlanPrinter;
import io.jipvs.control.serve.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * serve's log: one line per event, as logfmt text ({@code time=… event=down service="TCP
 * 192.0.2.10:80" real-server=10.0.0.11:80 detail="connect: Connection refused"}) or as one JSON
 * object per line (--log-format json), on standard output (journald keeps it).
 */
final class EventLog implements Consumer<Event> {
    private static final JsonFactory JSON = new JsonFactory();
    private final PrintWriter out;
    private final boolean json;

    EventLog(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    @Override
    public void accept(Event e) {
        String line = json ? json(fields(e)) : text(fields(e));
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static Map<String, String> fields(Event e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("time", e.time().toString());
        f.put("event", e.kind().word());
        if (e.member() != null) {
            f.put("service", e.member().service().toString());
            f.put("real-server", e.member().realServer().toString());
        } else if (e.service() != null) {
            f.put("service", e.service().toString());
        }
        if (e.change() != null) {
            f.put("change", PlanPrinter.line(e.change(), e.time()));
        }
        if (e.detail() != null) {
            f.put("detail", e.detail());
        }
        return f;
    }

    private static String text(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k).append('=');
            if (!v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\' || c > 0x7e)) {
                b.append(v);
            } else {
                b.append('"');
                v.chars().forEach(c -> {
                    switch (c) {
                        case '"' -> b.append("\\\"");
                        case '\\' -> b.append("\\\\");
                        case '\n' -> b.append("\\n");
                        default -> b.append(c < ' ' ? ' ' : (char) c);
                    }
                });
                b.append('"');
            }
        });
        return b.toString();
    }

    /**
     * One event as the JSON log writes it (the event stream of the API sends the same).
     *
     * @param e the event
     * @return one JSON object, no newline
     */
    static String json(Event e) {
        return json(fields(e));
    }

    private static String json(Map<String, String> fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                g.writeStringField(f.getKey().equals("real-server") ? "realServer" : f.getKey(), f.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
