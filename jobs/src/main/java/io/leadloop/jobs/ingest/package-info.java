/**
 * Ingest: landing files to raw records, typed staged tables (all versions) and rejects, one batch
 * at a time, committed through the ingested-files ledger.
 */
package io.leadloop.jobs.ingest;
