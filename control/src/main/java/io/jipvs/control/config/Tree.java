package io.jipvs.control.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed file that remembers where each key and value stood, so that every error can name its
 * line and column. Jackson's own tree (JsonNode) forgets locations; its streaming parser has them.
 */
final class Tree {
    private Tree() {
    }

    /** A position in the file, 1-based. */
    record Where(int line, int column) {
        static Where of(JsonLocation l) {
            return new Where(l.getLineNr(), l.getColumnNr());
        }
    }

    /** A value of the file. */
    sealed interface Node {
        Where where();

        /** What a message calls this kind of value. */
        String kind();
    }

    /** A key of a mapping, with where the key itself stands. */
    record Entry(String key, Where keyAt, Node value) {
    }

    /** A mapping, its keys in file order. */
    record MapNode(Where where, Map<String, Entry> entries) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record ListNode(Where where, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar: String, Long, Double, Boolean, or null. */
    record Scalar(Where where, Object value) implements Node {
        @Override
        public String kind() {
            if (value == null) {
                return "empty";
            }
            return value instanceof String ? "text" : value instanceof Boolean ? "true/false" : "a number";
        }
    }

    /** The syntax error that stopped parsing. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Where where;

        SyntaxError(Where where, String message) {
            super(message);
            this.where = where;
        }
    }

    /**
     * Parses a whole file. Duplicate keys of one mapping go to {@code duplicates} (the first one
     * is kept) rather than failing the parse, so they are reported with the other errors.
     *
     * @return the root, or null for an empty file
     */
    static Node parse(byte[] content, boolean json, List<Entry> duplicates) throws SyntaxError {
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        try (JsonParser p = factory.createParser(content)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            Node root = value(p, duplicates);
            if (p.nextToken() != null) {
                throw new SyntaxError(Where.of(p.currentTokenLocation()), "more than one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
                // SnakeYAML's first line is the context ("while parsing a flow sequence"); the
                // problem ("expected ',' or ']'") and where it was found say more.
                String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
                return rethrow(new Where(y.getProblemMark().getLine() + 1, y.getProblemMark().getColumn() + 1),
                        y.getProblem() + context);
            }
            JsonLocation l = e.getLocation();
            String message = e.getOriginalMessage();
            int cut = message.indexOf('\n');
            return rethrow(l == null ? new Where(0, 0) : Where.of(l), cut < 0 ? message : message.substring(0, cut));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Node rethrow(Where where, String message) throws SyntaxError {
        throw new SyntaxError(where, "syntax error: " + message);
    }

    private static Node value(JsonParser p, List<Entry> duplicates) throws IOException {
        Where at = Where.of(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Where keyAt = Where.of(p.currentTokenLocation());
                    p.nextToken();
                    Entry e = new Entry(key, keyAt, value(p, duplicates));
                    if (entries.containsKey(key)) {
                        duplicates.add(e);
                    } else {
                        entries.put(key, e);
                    }
                }
                return new MapNode(at, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, duplicates));
                }
                return new ListNode(at, items);
            }
            case VALUE_STRING -> {
                return new Scalar(at, p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return new Scalar(at, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getText()
                        : (Object) p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(at, p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(at, t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return new Scalar(at, null);
            }
            default -> throw new IllegalStateException("unexpected token " + t);
        }
    }
}
