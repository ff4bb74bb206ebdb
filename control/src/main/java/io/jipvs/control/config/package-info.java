/**
 * The desired-state file: YAML or JSON read into a {@link io.jipvs.control.desired.DesiredState}
 * with every error reported at once (file, line, column, key path), and written back out for
 * {@code jipvs export}.
 */
package io.jipvs.control.config;
