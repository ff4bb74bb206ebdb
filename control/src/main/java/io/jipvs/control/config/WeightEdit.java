package io.jipvs.control.config;

import io.jipvs.control.config.Tree.Entry;
import io.jipvs.control.config.Tree.MapNode;
import io.jipvs.control.config.Tree.Scalar;
import io.jipvs.control.config.Tree.Where;
import io.jipvs.control.desired.DesiredService;
import io.jipvs.control.desired.DesiredState;
import io.jipvs.control.desired.Member;
import io.jipvs.control.desired.RealServerKey;
import io.jipvs.control.desired.Supervised;
import io.jipvs.model.Destination;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one real server's weight into a jipvs YAML or JSON file by editing its text in place, so
 * that the operator's comments, order and layout stay as they were (a parse-and-dump round trip
 * would lose them). The edit is proven before it is returned: the edited file must read as the
 * same desired state with only that weight changed, or nothing is returned.
 */
public final class WeightEdit {
    private WeightEdit() {
    }

    /**
     * An edited file, and how it reads.
     *
     * @param content the file's bytes after the edit (the same bytes when it already had the weight)
     * @param file    what they read as
     */
    public record Edited(byte[] content, Supervised file) {
    }

    /**
     * The file with the real server's weight set: its {@code weight:} value replaced, or a
     * {@code weight:} key put before the real server's first key when it has none.
     *
     * @param source  the file's name, for messages
     * @param content the file as it is
     * @param format  YAML or JSON
     * @param member  the real server
     * @param weight  its new weight
     * @return the edited file, and how it reads
     * @throws ConfigException       when the file is not valid as it is
     * @throws IllegalArgumentException when the file does not have the real server, or its weight
     *                                  cannot be placed by a text edit (a YAML alias or the like)
     */
    public static Edited setWeight(String source, byte[] content, ConfigFormat format, Member member, int weight) {
        if (format != ConfigFormat.YAML && format != ConfigFormat.JSON) {
            throw new IllegalArgumentException(source + " is " + format.name().toLowerCase(java.util.Locale.ROOT)
                    + ": only a jipvs YAML or JSON file can be written; set the weight there by hand");
        }
        ConfigReader.Located located = ConfigReader.locate(source, content, format);
        Supervised before = located.file();
        MapNode node = located.realServers().get(member);
        if (node == null) {
            throw new IllegalArgumentException(source + " has no real server " + member.realServer() + " in that service");
        }
        boolean same = before.state().service(member.service()).stream().flatMap(s -> s.realServers().stream())
                .anyMatch(d -> RealServerKey.of(d).equals(member.realServer()) && d.weight() == weight);
        if (same) {
            return new Edited(content, before); // nothing to write, and an edit that changes nothing could not be proven
        }
        String text = new String(content, StandardCharsets.UTF_8);
        Entry w = node.entries().get("weight");
        String edited = w != null ? replaceValue(text, (Scalar) w.value(), format, weight)
                : insertKey(text, node.entries().values().iterator().next(), format, weight);
        byte[] out = edited == null ? null : edited.getBytes(StandardCharsets.UTF_8);
        Supervised after = out == null ? null : readOrNull(source, out, format);
        if (after == null || !sameBut(before, after, member, weight)) {
            throw new IllegalArgumentException("cannot place the weight of " + member.realServer() + " in " + source
                    + " by an edit of its text; set it there by hand");
        }
        return new Edited(out, after);
    }

    private static Supervised readOrNull(String source, byte[] content, ConfigFormat format) {
        try {
            return ConfigReader.readSupervised(source, content, format);
        } catch (ConfigException e) {
            return null;
        }
    }

    /** The edited file reads as the old one with that one weight changed, and nothing else. */
    private static boolean sameBut(Supervised before, Supervised after, Member member, int weight) {
        List<DesiredService> services = new ArrayList<>();
        for (DesiredService s : before.state().services()) {
            if (!s.key().equals(member.service())) {
                services.add(s);
                continue;
            }
            List<Destination> rs = new ArrayList<>();
            for (Destination d : s.realServers()) {
                rs.add(RealServerKey.of(d).equals(member.realServer()) ? new Destination(d.address(), d.port(),
                        d.forwarding(), weight, d.upperThreshold(), d.lowerThreshold(), d.tunnelType(), d.tunnelPort(),
                        d.tunnelChecksum()) : d);
            }
            services.add(new DesiredService(s.name(), s.service(), s.drainTimeout(), rs, s.snat()));
        }
        DesiredState expected = new DesiredState(services, before.state().timeouts(), before.state().syncDaemons(),
                before.state().sysctls());
        return expected.equals(after.state()) && before.supervision().equals(after.supervision())
                && before.repairInterval().equals(after.repairInterval());
    }

    /** The scalar's text (a number, or a quoted one) replaced by the weight. */
    private static String replaceValue(String text, Scalar value, ConfigFormat format, int weight) {
        for (int at : offsets(text, value.where(), format)) {
            int end = scalarEnd(text, at);
            if (end > at && String.valueOf(value.value()).equals(unquote(text.substring(at, end)))) {
                return text.substring(0, at) + weight + text.substring(end);
            }
        }
        return null;
    }

    /**
     * {@code weight: N} before the first key, quoted as that key is: on its own line in a block
     * mapping (with the file's line ending), inline in a flow one.
     */
    private static String insertKey(String text, Entry first, ConfigFormat format, int weight) {
        for (int at : offsets(text, first.keyAt(), format)) {
            char q = at < text.length() ? text.charAt(at) : ' ';
            String quote = q == '"' || q == '\'' ? String.valueOf(q) : "";
            if (!text.startsWith(quote + first.key() + quote, at)) {
                continue;
            }
            String key = quote + "weight" + quote + ": " + weight;
            int prev = at - 1;
            while (prev >= 0 && Character.isWhitespace(text.charAt(prev))) {
                prev--;
            }
            boolean flow = format == ConfigFormat.JSON || prev >= 0 && (text.charAt(prev) == '{' || text.charAt(prev) == ',');
            if (flow) {
                return text.substring(0, at) + key + ", " + text.substring(at);
            }
            // Block mapping: the same column on a line of its own ("- address:" becomes "- weight:"
            // then "  address:").
            int lineStart = text.lastIndexOf('\n', at - 1) + 1;
            int lineEnd = text.indexOf('\n', at);
            String newline = lineEnd > 0 && text.charAt(lineEnd - 1) == '\r' ? "\r\n" : "\n";
            StringBuilder indent = new StringBuilder();
            for (int i = lineStart; i < at; i++) {
                indent.append(text.charAt(i) == '\t' ? '\t' : ' ');
            }
            return text.substring(0, at) + key + newline + indent + text.substring(at);
        }
        return null;
    }

    /**
     * Where a parser's line and column may be in the text: the YAML parser counts code points, the
     * JSON parser bytes (tried first for each); a candidate is only used when the expected token
     * stands there.
     */
    private static int[] offsets(String text, Where where, ConfigFormat format) {
        int lineStart = 0;
        for (int line = 1; line < where.line(); line++) {
            lineStart = text.indexOf('\n', lineStart) + 1;
            if (lineStart == 0) {
                return new int[0];
            }
        }
        int lineEnd = text.indexOf('\n', lineStart);
        String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
        int col = where.column() - 1;
        List<Integer> out = new ArrayList<>();
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (col >= 0 && col <= bytes.length) {
            out.add(lineStart + new String(bytes, 0, col, StandardCharsets.UTF_8).length());
        }
        if (col >= 0 && col <= line.codePointCount(0, line.length())) {
            out.add(format == ConfigFormat.JSON ? out.size() : 0, lineStart + line.offsetByCodePoints(0, col));
        }
        return out.stream().distinct().mapToInt(Integer::intValue).toArray();
    }

    private static int scalarEnd(String text, int at) {
        if (at >= text.length()) {
            return at;
        }
        char q = text.charAt(at);
        if (q == '"' || q == '\'') {
            int close = text.indexOf(q, at + 1);
            return close < 0 ? at : close + 1;
        }
        int i = at;
        while (i < text.length() && ",}]# \t\r\n".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static String unquote(String token) {
        boolean quoted = token.length() >= 2 && (token.charAt(0) == '"' || token.charAt(0) == '\'');
        return quoted ? token.substring(1, token.length() - 1) : token;
    }
}
