/**
 * {@code leadloop bench}: generated landing sets at several scales run through the weekly job,
 * timed per step with memory sampled, and checked against an independent DuckDB baseline of
 * cohort_funnel and attribution (last_touch, linear). See docs/benchmarks.md and
 * docs/performance.md.
 */
package io.leadloop.tools.bench;
