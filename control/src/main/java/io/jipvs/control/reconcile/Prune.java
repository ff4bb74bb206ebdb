package io.jipvs.control.reconcile;

/** What an apply may delete from the kernel. */
public enum Prune {
    /** Only services and real servers jipvs created and the file no longer has (the default). */
    OWNED,
    /** Everything the file does not have: the whole table is taken over. */
    ALL,
    /** Nothing: only additions and edits. */
    NONE
}
