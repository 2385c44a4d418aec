/**
 * Touch attribution of lead bookings: the five rule-based models of metrics.md ({@link
 * io.leadloop.jobs.attribution.Attribution}) and the data-driven {@code markov} model (journeys,
 * the chain's removal effects and the credit split: {@link io.leadloop.jobs.attribution.Journeys},
 * {@link io.leadloop.jobs.attribution.RemovalEffects}, {@link
 * io.leadloop.jobs.attribution.Markov}).
 */
package io.leadloop.jobs.attribution;
