/**
 * The vocabulary shared by Coffer's callers and handlers: {@link io.coffer.reports.Code} with its
 * stable numbers and {@link io.coffer.reports.Severity}, and the immutable {@link io.coffer.reports.Report}
 * family that every call returns instead of throwing.
 *
 * <p>Everything here is immutable and safe to use from any thread. This module depends on nothing.
 */
package io.coffer.reports;
