/**
 * {@code jipvs serve}: the resident control plane that keeps the table true. It turns the file and
 * the real servers' health into the table wanted ({@link io.jipvs.control.serve.Effective}), and
 * reconciles the kernel with it on start, on every health change, on reload and every repair
 * interval ({@link io.jipvs.control.serve.Supervisor}), reporting each step as an
 * {@link io.jipvs.control.serve.Event}.
 */
package io.jipvs.control.serve;
