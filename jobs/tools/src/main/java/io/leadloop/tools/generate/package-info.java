/**
 * Synthetic landing data for leadloop: a seeded, streaming generator that writes a landing folder
 * following the data contract (shared/spec/data-contract.md) with realistic shapes.
 *
 * <p>{@link io.leadloop.tools.generate.Generator} simulates one person at a time (leads, stage
 * events, touches, appointments with status versions, consent, suppression) and writes the rows as
 * it goes, so memory does not grow with the number of persons. A share of deliberately bad rows
 * (missing required field, unparseable timestamp, unknown vocabulary value, malformed line, unknown
 * lead, negative sequence step) is mixed in so that rejects are exercised.
 *
 * <p>Determinism: every person draws from its own {@link java.util.SplittableRandom} seeded from
 * the run seed and the person index, identifiers come from global counters in person order, all
 * floating point goes through {@link java.lang.StrictMath}, and no clock or hash order is read, so
 * the same options give byte-identical files. Simulated outreach ({@link
 * io.leadloop.tools.generate.Outreach}, off unless its effect is above 0) acts at a treated lead's
 * entry into the published stalled_lead lists ({@link io.leadloop.tools.generate.StalledLead}), and
 * draws from a second stream per person, so that everything else the person does, held-out leads
 * included, is written as without it. A treated lead's lifecycle rows are held back until the
 * person's next lead is created (the entry needs the newest lead), then written up to the booking
 * outreach brought, if any.
 *
 * <p>Choices the spec leaves open (documented here, as the spec asks):
 *
 * <ul>
 *   <li>All event times ({@code created_at}, {@code occurred_at}, {@code booked_at}, {@code
 *       recorded_at}, {@code added_at}) and every {@code updated_at} lie before the end of the
 *       simulated period ({@code start + weeks}); only {@code scheduled_start} (future bookings)
 *       and {@code expires_at} may lie after it. Ingest such a set with an ingestion time at or
 *       after the end of the period, or its newest rows are rejected as future rows.
 *   <li>Timestamps without {@code Z} or an offset are written as UTC wall-clock times, so they mean
 *       the intended instant under the default {@code source_timezone} ({@code UTC}).
 *   <li>Bad rows are extra rows with fresh keys: no good row depends on them, so the ingest's
 *       reject count per entity equals {@link io.leadloop.tools.generate.GenerateResult#badRows()}.
 * </ul>
 */
package io.leadloop.tools.generate;
