/**
 * The metric marts of metrics.md: cohort funnel, comparison, speed to lead, stall reasons; computed
 * in full or started from an earlier as-of's marts ({@link
 * io.leadloop.jobs.metrics.IncrementalMarts}), and stored together in one table ({@link
 * io.leadloop.jobs.metrics.MartStore}).
 */
package io.leadloop.jobs.metrics;
