/**
 * Reconciliation: compares a desired state with a kernel dump and the record of what jipvs owns,
 * and plans the kernel changes (one batch, in dependency order) that make the table what the file
 * says, touching only what is managed and draining real servers before deleting them.
 * {@link io.jipvs.control.reconcile.Planner#plan} is a pure function; applying a plan and keeping
 * the ownership record true is the caller's.
 */
package io.jipvs.control.reconcile;
