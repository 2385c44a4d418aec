/** The {@code leadloop} command line. */
package io.leadloop.jobs.cli;
