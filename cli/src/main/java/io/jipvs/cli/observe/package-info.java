/** Watching a director: {@code jipvs metrics}, the Prometheus exposition of the table. */
package io.jipvs.cli.observe;
