package io.jipvs.control.host;

/** The request cannot be carried out on this host as it is; nothing has been changed. */
public final class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal.
     *
     * @param message why, in the operator's terms
     */
    public PlanException(String message) {
        super(message);
    }
}
