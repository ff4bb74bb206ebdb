package io.jipvs.cli;

/**
 * A subcommand the resident daemon may run for a caller, on the netlink socket the caller opened
 * (so the kernel judges every request by the caller's own privileges). The daemon parses the line
 * first and asks the command whether this particular line may run there; everything it declines
 * runs in the caller's own JVM as before.
 */
public interface DaemonServed {

    /**
     * Why this command line must run in the caller's own process, or null when the daemon may
     * run it. Called on the parsed command, before {@link #serveOn}.
     *
     * @param stdinTerminal whether the caller's standard input is a terminal
     * @return the reason, or null
     */
    String declines(boolean stdinTerminal);

    /**
     * The table to work on instead of opening one: the daemon's handle on the caller's socket.
     *
     * @param table the caller's table
     */
    void serveOn(Jipvs.Table table);
}
