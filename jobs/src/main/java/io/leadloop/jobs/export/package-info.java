/** Segment exports to outreach destinations: files, diffs, manifests, atomic publication. */
package io.leadloop.jobs.export;
