package io.jipvs.control.config.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of keepalived.conf: its words, and the statements of its braces if it has any.
 *
 * @param words    the keyword and its arguments
 * @param children the statements inside its braces, or null when it has none
 * @param source   the file it comes from
 * @param line     its line
 * @param column   its column
 */
record Block(List<String> words, List<Block> children, String source, int line, int column) {

    Block {
        words = List.copyOf(words);
        children = children == null ? null : new ArrayList<>(children);
    }

    String keyword() {
        return words.get(0);
    }

    /** The argument at {@code i} (1 is the first after the keyword), or null. */
    String arg(int i) {
        return i < words.size() ? words.get(i) : null;
    }

    /** The keyword and its arguments, as a path element in messages. */
    String label() {
        return String.join(" ", words);
    }
}
