package io.jipvs.cli.ipvsadm;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an ipvsadm command line into options and positional arguments the way popt 1.19 does.
 *
 * <p>Why not Picocli's parser: ipvsadm puts the command inside an option whose position matters
 * (the first option must be a command, a later one is an error naming the whole argv token),
 * bundles short options with arguments ({@code -At1.2.3.4:80}, {@code -t=...}), lets a
 * required argument swallow a following {@code -n}, gives {@code -p} an optional argument that
 * is taken from the next element only when it does not start with '-', and reports errors as
 * "TOKEN: popt message". Those rules are observable byte for byte in messages and exit codes,
 * so they are reproduced here; Picocli keeps the command structure (subcommands) around it.
 *
 * <p>The result is a list of events in command-line order; an error event, if any, is last,
 * because popt stops there and everything before it has already been acted upon.
 */
public final class PoptTokenizer {

    /** One thing popt returned: an option with its argv token and value, a positional, or an error. */
    public sealed interface Event permits OptionEvent, Positional, ErrorEvent {
    }

    public record OptionEvent(Switch option, String token, String value) implements Event {
    }

    public record Positional(String value) implements Event {
    }

    public record ErrorEvent(String token, String message) implements Event {
    }

    private PoptTokenizer() {
    }

    public static List<Event> tokenize(List<String> args) {
        List<Event> events = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            String token = args.get(i++);
            if (token.equals("--")) {
                while (i < args.size()) {
                    events.add(new Positional(args.get(i++)));
                }
                break;
            }
            if (token.startsWith("--")) {
                int eq = token.indexOf('=');
                String name = eq < 0 ? token.substring(2) : token.substring(2, eq);
                Switch s = Switch.byLong(name);
                if (s == null) {
                    events.add(new ErrorEvent(token, "unknown option"));
                    return events;
                }
                String value = null;
                switch (s.arg()) {
                    case NONE -> {
                        if (eq >= 0) {
                            events.add(new ErrorEvent(token, "option does not take an argument"));
                            return events;
                        }
                    }
                    case REQUIRED -> {
                        if (eq >= 0) {
                            value = token.substring(eq + 1);
                        } else if (i < args.size()) {
                            value = args.get(i++);
                        } else {
                            events.add(new ErrorEvent(token, "missing argument"));
                            return events;
                        }
                    }
                    case OPTIONAL -> {
                        if (eq >= 0) {
                            value = token.substring(eq + 1);
                        } else if (i < args.size() && !args.get(i).startsWith("-")) {
                            value = args.get(i++);
                        }
                    }
                }
                events.add(new OptionEvent(s, token, value));
                continue;
            }
            if (token.startsWith("-") && token.length() > 1) {
                int pos = 1;
                while (pos < token.length()) {
                    char c = token.charAt(pos++);
                    Switch s = Switch.byShort(c);
                    if (s == null) {
                        events.add(new ErrorEvent(token, "unknown option"));
                        return events;
                    }
                    if (s.arg() == Switch.Arg.NONE) {
                        events.add(new OptionEvent(s, token, null));
                        continue;
                    }
                    String rest = token.substring(pos);
                    if (rest.startsWith("=")) {
                        rest = rest.substring(1);
                    }
                    String value = null;
                    if (!rest.isEmpty() || pos < token.length()) {
                        value = rest;
                    } else if (s.arg() == Switch.Arg.REQUIRED) {
                        if (i < args.size()) {
                            value = args.get(i++);
                        } else {
                            events.add(new ErrorEvent(token, "missing argument"));
                            return events;
                        }
                    } else if (i < args.size() && !args.get(i).startsWith("-")) {
                        value = args.get(i++);
                    }
                    events.add(new OptionEvent(s, token, value));
                    break;
                }
                continue;
            }
            events.add(new Positional(token));
        }
        return events;
    }
}
