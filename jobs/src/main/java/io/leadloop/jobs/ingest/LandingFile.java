package io.leadloop.jobs.ingest;

import io.leadloop.common.schema.Entity;
import java.io.Serializable;

/**
 * A data file found in a landing entity folder.
 *
 * @param entity the folder's entity
 * @param name the file name (versions tie-break on it, by code points)
 * @param path full path (local or {@code s3a://})
 * @param sha256 hex SHA-256 of the file's bytes: its identity
 * @param bytes size
 */
public record LandingFile(Entity entity, String name, String path, String sha256, long bytes)
    implements Serializable {}
