/** Publishing: atomic file writes (local or S3) and the CSV output format of the spec. */
package io.leadloop.jobs.publish;
