package io.leadloop.jobs.s3;

import org.testcontainers.containers.MinIOContainer;

/** MinIO in a container (Testcontainers), for hosts with a Docker engine. */
final class MinioServer {
  static final String IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";

  private MinioServer() {}

  static S3Server start() {
    MinIOContainer c = new MinIOContainer(IMAGE);
    c.start();
    return S3Server.of("MinIO", c.getS3URL(), c.getUserName(), c.getPassword(), c::stop);
  }
}
