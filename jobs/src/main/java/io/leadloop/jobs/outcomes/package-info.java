/**
 * outcomes.md: episodes, their entries (the first published run that routed them), the holdout
 * assignment fixed at entry, and the {@code segment_lift} mart that compares the booking rates of
 * treated and held-out episodes. Transformations are pure; the segments and metrics steps read and
 * write the tables.
 */
package io.leadloop.jobs.outcomes;
