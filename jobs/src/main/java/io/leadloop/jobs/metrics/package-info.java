/**
 * The metric marts of metrics.md: cohort funnel, comparison, speed to lead, stall reasons; computed
 * in full or started from an earlier as-of's marts ({@link
 * io.leadloop.jobs.metrics.IncrementalMarts}).
 */
package io.leadloop.jobs.metrics;
