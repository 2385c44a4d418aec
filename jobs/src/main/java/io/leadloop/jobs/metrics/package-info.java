/** The metric marts of metrics.md: cohort funnel, comparison, speed to lead, stall reasons. */
package io.leadloop.jobs.metrics;
