/**
 * segments.md: reactivation candidates, exclusions, channels and member fields, and the segment
 * step that stores the members, exclusions and assignments and publishes the exports.
 */
package io.leadloop.jobs.segments;
