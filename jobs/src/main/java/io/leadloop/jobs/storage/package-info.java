/**
 * Storage semantics the pipeline relies on, per file system: local folders and HDFS rename a folder
 * atomically; object stores ({@code s3a://}) do not (a folder rename is a copy of every object,
 * then a delete), so folders there are published "manifest last". See docs/deploy.md.
 */
package io.leadloop.jobs.storage;
