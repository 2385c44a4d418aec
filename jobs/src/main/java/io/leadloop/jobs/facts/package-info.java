/**
 * The intermediate layer: entities as they stood at a cutoff, per-lead and per-appointment facts.
 * Every transform is pure (datasets in, datasets out).
 */
package io.leadloop.jobs.facts;
