/**
 * The director as Prometheus metrics, built as snapshots of the official client's data model:
 * the kernel's table with its counters ({@link io.jipvs.control.metrics.TableMetrics}, one dump per
 * scrape) and serve's health and reconcile state ({@link io.jipvs.control.metrics.ServeMetrics}).
 * Every series that names a service or a real server carries the same labels
 * ({@link io.jipvs.control.metrics.SeriesLabels}), so the two join in PromQL.
 */
package io.jipvs.control.metrics;
