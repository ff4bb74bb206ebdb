/**
 * The desired state of an IPVS table, as a configuration file describes it: services with their
 * real servers, timeouts, sync daemons and IPVS sysctls. Values only; reading files lives in
 * {@code io.jipvs.control.config}, turning a desired state into kernel changes in
 * {@code io.jipvs.control.reconcile}.
 */
package io.jipvs.control.desired;
