/**
 * The metric building blocks of metrics.md defined once: cutoff, rates, intervals, and the many
 * as-ofs of one plan ({@link io.leadloop.common.metrics.AsOfs}).
 */
package io.leadloop.common.metrics;
