/** The metric building blocks of metrics.md defined once: cutoff, rates, intervals. */
package io.leadloop.common.metrics;
