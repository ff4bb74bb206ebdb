package io.jipvs.cli.exec;

import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.UsageException;

/**
 * What a command line ended with — its exit status — and whether a -R in progress stops there.
 * The statuses are ipvsadm's: 0 done; 2 invalid input; 255 popt errors, "Try -h" and failed
 * kernel changes; 1 failed listings. jipvs adds one case ipvsadm has no text for: -R input that
 * cannot be read is also 1, like a listing that cannot read what it lists (the lines read
 * before the failure have run: -R applies its input as it reads it).
 */
record Outcome(int status, boolean abort) {
    static final Outcome DONE = new Outcome(0, false);
    /** ipvsadm exits from inside -h and -v, ending a restore in progress. */
    static final Outcome PRINTED_AND_EXITED = new Outcome(0, true);
    /** A listing that cannot read what it lists ends ipvsadm (and its restore) with 1. */
    static final Outcome LISTING_FAILED = new Outcome(1, true);
    /** The kernel refused a change: 255, and -R goes on with the next line. */
    static final Outcome CHANGE_FAILED = new Outcome(255, false);
    /** -R's input cannot be read (see the class comment). */
    static final Outcome INPUT_UNREADABLE = new Outcome(1, true);

    /** A rejected command line: 2 for fail(), 255 for "Try -h" and popt; only popt lets -R go on. */
    static Outcome rejected(UsageException e) {
        return new Outcome(e.exitCode(), e.kind() != UsageException.Kind.POPT);
    }

    /** The kernel refused: a listing fails with 1 and ends -R, a change gives 255 and -R goes on. */
    static Outcome kernelFailed(IpvsadmCommand command) {
        boolean listing = command instanceof IpvsadmCommand.Listing || command instanceof IpvsadmCommand.Save;
        return listing ? LISTING_FAILED : CHANGE_FAILED;
    }
}
