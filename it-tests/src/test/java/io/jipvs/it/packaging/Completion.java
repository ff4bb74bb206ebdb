package io.jipvs.it.packaging;

import io.jipvs.it.lab.Exec;

/**
 * bash's programmable completion, run as bash runs it at a TAB: the script is sourced, the function
 * `complete -p jipvs` names is called with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set, and
 * COMPREPLY is what bash would offer.
 */
final class Completion {
    private static final String DRIVER = """
            source "$1"
            line=$2
            fn=$(complete -p jipvs | sed -E 's/.*-F ([^ ]+).*/\\1/')
            read -ra COMP_WORDS <<<"$line"
            [ "${line: -1}" = " " ] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_LINE=$line; COMP_POINT=${#line}; COMPREPLY=()
            "$fn" jipvs "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
            printf '%s\\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd' '
            """;

    private Completion() {
    }

    /** What bash offers for {@code line} (the cursor at its end), sorted, space-separated. */
    static String complete(String script, String line) {
        return Exec.run("bash", "-c", DRIVER, "complete", script, line).orThrow().stdout().strip();
    }
}
