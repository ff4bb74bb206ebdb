package io.jipvs.cli.exec;

import io.jipvs.cli.ipvsadm.IpvsadmCommand;
import io.jipvs.cli.ipvsadm.IpvsadmErrors;
import io.jipvs.cli.ipvsadm.IpvsadmParser;
import io.jipvs.netlink.ipvs.Ipvs;
import io.jipvs.netlink.ipvs.IpvsException;
import io.jipvs.netlink.ipvs.IpvsMutation;
import io.jipvs.netlink.ipvs.IpvsResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * -R: every input line is a command line (see {@link RestorePlan}). Validation failures stop the
 * restore with their status; popt and kernel errors are reported and the next line runs; the
 * status is the last line's. The input is read, planned and applied a chunk at a time (memory
 * stays bounded); a chunk's changes go to the kernel in batches, each ending where a line must
 * see the kernel's state (a listing), the chunk ends, or the restore stops; then the batch's
 * messages are printed in line order.
 */
final class RestoreRunner {
    /** Runs a line that reads or prints ({@link RestorePlan.Direct}), as the executor does. */
    interface Direct {
        Outcome run(IpvsadmCommand command);
    }

    private final Ipvs ipvs;
    private final String program;
    private final PrintStream err;
    private final Direct direct;
    private final int chunkLines;
    private final int chunkBytes;

    RestoreRunner(Ipvs ipvs, String program, PrintStream err, Direct direct) {
        this(ipvs, program, err, direct, RestorePlan.CHUNK_LINES, RestorePlan.CHUNK_BYTES);
    }

    /** With other chunk sizes (tests cross chunk boundaries with a few lines). */
    RestoreRunner(Ipvs ipvs, String program, PrintStream err, Direct direct, int chunkLines, int chunkBytes) {
        this.ipvs = ipvs;
        this.program = program;
        this.err = err;
        this.direct = direct;
        this.chunkLines = chunkLines;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Reads, plans and applies {@code in} a chunk at a time. Input that cannot be read part-way
     * ends the restore after the lines read before the failure have run: ipvsadm would take the
     * error for the end of its input and succeed; jipvs names it and fails
     * ({@link Outcome#INPUT_UNREADABLE}).
     */
    Outcome run(InputStream in, IpvsadmParser parser) {
        RestorePlan.Input input = new RestorePlan.Input(in, parser, chunkLines, chunkBytes);
        int status = 0;
        while (true) {
            RestorePlan.Chunk chunk = input.next();
            Outcome o = run(chunk.steps(), status);
            if (o.abort()) {
                return o;
            }
            status = o.status();
            if (chunk.failure() != null) {
                IOException e = chunk.failure();
                err.println(program + ": cannot read the restore input: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return Outcome.INPUT_UNREADABLE;
            }
            if (chunk.last()) {
                return new Outcome(status, false);
            }
        }
    }

    private Outcome run(List<RestorePlan.Step> steps, int status) {
        List<RestorePlan.Step> pending = new ArrayList<>();
        for (RestorePlan.Step step : steps) {
            if (step instanceof RestorePlan.Direct d) {
                Outcome o = flush(pending, status);
                if (o.abort()) {
                    return o;
                }
                o = direct.run(d.command());
                if (o.abort()) {
                    return o;
                }
                status = o.status();
            } else {
                pending.add(step);
            }
        }
        return flush(pending, status);
    }

    /** Applies the pending changes as one batch, then prints what each pending line says. */
    private Outcome flush(List<RestorePlan.Step> pending, int status) {
        List<IpvsMutation> mutations = new ArrayList<>();
        for (RestorePlan.Step s : pending) {
            if (s instanceof RestorePlan.Change c) {
                mutations.add(c.mutation());
            }
        }
        List<IpvsException> errors = new ArrayList<>(mutations.size());
        if (!mutations.isEmpty()) {
            for (IpvsResult r : ipvs.apply(mutations)) {
                errors.add(r.error());
            }
        }
        Outcome o = report(pending, errors, status, err);
        pending.clear();
        return o;
    }

    /**
     * Prints, in line order, what a run of changes and rejections (no {@link RestorePlan.Direct}
     * among them) says, given the results of its changes in the same order (null: applied).
     * Kernel errors print ipvsadm's text and give 255; the restore goes on after them.
     *
     * @param status the status so far, kept if {@code steps} is empty
     * @return the status of the last step, and whether it ended the restore
     */
    static Outcome report(List<RestorePlan.Step> steps, List<IpvsException> errors, int status, PrintStream err) {
        int change = 0;
        for (RestorePlan.Step s : steps) {
            if (s instanceof RestorePlan.Change) {
                IpvsException e = errors.get(change++);
                if (e == null) {
                    status = 0;
                } else {
                    err.println(IpvsadmErrors.text(e));
                    status = Outcome.CHANGE_FAILED.status();
                }
            } else if (s instanceof RestorePlan.Rejected r) {
                err.println(r.message());
                status = r.status();
                if (r.abort()) {
                    return new Outcome(status, true);
                }
            } else {
                throw new IllegalArgumentException("not batchable: " + s);
            }
        }
        return new Outcome(status, false);
    }
}
