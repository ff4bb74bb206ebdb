package io.jipvs.control.config.keepalived;

import io.jipvs.control.config.ConfigError;
import io.jipvs.control.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * keepalived.conf's syntax: words separated by blanks, {@code {} and {@code }} as words of their
 * own, double-quoted words, comments from {@code #} or {@code !} to the end of the line, and
 * {@code include GLOB} (relative to the including file) read in place. Statements end at the end
 * of a line; a {@code {} opens the block of the statement before it, on its line or the next.
 */
final class Lexer {
    /** Includes deeper than this are refused: keepalived stops at a small depth too. */
    static final int MAX_DEPTH = 8;

    private record Word(String text, boolean quoted, String source, int line, int column) {
    }

    private Lexer() {
    }

    /**
     * The statements of a file.
     *
     * @param source  its name for messages
     * @param content its bytes
     * @param base    the directory includes are relative to, or null to refuse includes
     * @return the top-level statements
     * @throws ConfigException for unbalanced braces or an unreadable include
     */
    static List<Block> parse(String source, byte[] content, Path base) {
        List<List<Word>> lines = new ArrayList<>();
        lex(source, new String(content, StandardCharsets.UTF_8), base, lines, 0);
        int[] at = {0};
        List<Block> top = blocks(lines, at, null);
        return top;
    }

    private static void lex(String source, String text, Path base, List<List<Word>> out, int depth) {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            List<Word> words = words(source, lines[n], n + 1);
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).text().equals("include") && !words.get(0).quoted()) {
                if (words.size() != 2) {
                    throw error(source, n + 1, words.get(0).column(), "include takes one file or pattern");
                }
                include(words.get(1), base, out, depth);
                continue;
            }
            out.add(words);
        }
    }

    private static void include(Word pattern, Path base, List<List<Word>> out, int depth) {
        if (base == null) {
            throw error(pattern.source(), pattern.line(), pattern.column(),
                    "include needs a file to be relative to (not standard input)");
        }
        if (depth >= MAX_DEPTH) {
            throw error(pattern.source(), pattern.line(), pattern.column(), "includes nested deeper than " + MAX_DEPTH);
        }
        Path p = base.resolve(pattern.text());
        Path dir = p.getParent();
        String glob = p.getFileName().toString();
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw error(pattern.source(), pattern.line(), pattern.column(), "cannot read " + p + ": " + e.getMessage());
        }
        for (Path f : files) {
            try {
                lex(f.toString(), Files.readString(f), f.getParent(), out, depth + 1);
            } catch (IOException e) {
                throw error(pattern.source(), pattern.line(), pattern.column(), "cannot read " + f + ": " + e.getMessage());
            }
        }
    }

    private static List<Word> words(String source, String line, int n) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '#' || c == '!') {
                break;
            } else if (c == '{' || c == '}') {
                out.add(new Word(String.valueOf(c), false, source, n, i + 1));
                i++;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                if (end < 0) {
                    throw error(source, n, i + 1, "unterminated quoted string");
                }
                out.add(new Word(line.substring(i + 1, end), true, source, n, i + 1));
                i = end + 1;
            } else {
                int start = i;
                while (i < line.length() && " \t\r{}\"".indexOf(line.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Word(line.substring(start, i), false, source, n, start + 1));
            }
        }
        return out;
    }

    /** Statements until a closing brace (or the end): each line is one, a '{' opens its block. */
    private static List<Block> blocks(List<List<Word>> lines, int[] at, Word opened) {
        List<Block> out = new ArrayList<>();
        while (at[0] < lines.size()) {
            List<Word> line = lines.get(at[0]++);
            int i = 0;
            while (i < line.size()) {
                Word w = line.get(i);
                if (isBrace(w, "}")) {
                    if (opened == null) {
                        throw error(w.source(), w.line(), w.column(), "'}' without a '{'");
                    }
                    if (i + 1 < line.size()) {
                        // "} something" on one line: keep the rest for the enclosing block.
                        lines.set(--at[0], line.subList(i + 1, line.size()));
                    }
                    return out;
                }
                if (isBrace(w, "{")) {
                    // A '{' alone on a line opens the block of the statement before it.
                    if (out.isEmpty() || out.get(out.size() - 1).children() != null) {
                        throw error(w.source(), w.line(), w.column(), "'{' without a keyword before it");
                    }
                    Block before = out.remove(out.size() - 1);
                    List<Word> rest = line.subList(i + 1, line.size());
                    if (!rest.isEmpty()) {
                        lines.set(--at[0], rest);
                    }
                    out.add(new Block(before.words(), blocks(lines, at, w), before.source(), before.line(),
                            before.column()));
                    i = line.size();
                    continue;
                }
                int start = i;
                List<String> words = new ArrayList<>();
                while (i < line.size() && !isBrace(line.get(i), "{") && !isBrace(line.get(i), "}")) {
                    words.add(line.get(i).text());
                    i++;
                }
                Word first = line.get(start);
                if (i < line.size() && isBrace(line.get(i), "{")) {
                    Word brace = line.get(i);
                    List<Word> rest = line.subList(i + 1, line.size());
                    if (!rest.isEmpty()) {
                        lines.set(--at[0], rest);
                    }
                    out.add(new Block(words, blocks(lines, at, brace), first.source(), first.line(), first.column()));
                    i = line.size();
                } else {
                    out.add(new Block(words, null, first.source(), first.line(), first.column()));
                }
            }
        }
        if (opened != null) {
            throw error(opened.source(), opened.line(), opened.column(), "'{' is never closed");
        }
        return out;
    }

    private static boolean isBrace(Word w, String brace) {
        return !w.quoted() && w.text().equals(brace);
    }

    private static ConfigException error(String source, int line, int column, String message) {
        return new ConfigException(List.of(new ConfigError(source, line, column, "", message)));
    }
}
