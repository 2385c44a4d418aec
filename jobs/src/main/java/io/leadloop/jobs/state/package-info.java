/**
 * The state layer between staged tables and facts: each entity's versions kept in a Delta table
 * ({@code state_<entity>}) that follows the ingest ledger batch by batch, so the state at any
 * cutoff is a filter ({@link io.leadloop.jobs.state.StateStore}) and a new batch costs the keys it
 * touches ({@link io.leadloop.jobs.state.StateRefresh}).
 */
package io.leadloop.jobs.state;
