package io.jipvs.cli;

import java.io.InputStream;

/**
 * A subcommand that reads standard input (apply -f -): it gets the stream of the command line it
 * runs in, which is the caller's own when the daemon runs it, not the process's System.in.
 */
public interface ReadsInput {

    /**
     * The command line's standard input.
     *
     * @param in the stream
     */
    void input(InputStream in);
}
