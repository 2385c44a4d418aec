/** The weekly run: ingest, facts, marts, segments, exports and run.json, step by step. */
package io.leadloop.jobs.weekly;
