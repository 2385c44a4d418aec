/**
 * {@code leadloop demo}: a seeded synthetic clinic (the generator, with outreach that works) played
 * as weeks of published runs, so that the first report a new user sees has trends, unsuppressed
 * numbers and a measured lift.
 */
package io.leadloop.tools.demo;
