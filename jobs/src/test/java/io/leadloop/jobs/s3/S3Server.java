package io.leadloop.jobs.s3;

import io.leadloop.common.spark.Sessions;
import io.leadloop.jobs.TestPaths;
import io.leadloop.jobs.cluster.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server for tests, the same to the test code whichever it is: MinIO in a container
 * (Testcontainers) when a Docker engine is available, otherwise S3Proxy 4.1.0 started as a child
 * JVM on a random loopback port ({@code jobs/target/s3proxy/s3proxy.jar}, copied there by the
 * build). S3Proxy keeps objects in memory, or under a folder when {@code basedir} is given (large
 * benchmark inputs). Stop it with {@link #close} (and a shutdown hook stops a forgotten S3Proxy).
 *
 * <p>Credentials are generated per server and given to S3A per bucket ({@code
 * fs.s3a.bucket.<bucket>.*}), so the shared test Spark session keeps no global S3 settings.
 */
public final class S3Server implements AutoCloseable {
  /** Region the S3 clients sign for (S3Proxy and MinIO accept any). */
  public static final String REGION = "us-east-1";

  private static final Pattern S3PROXY_PORT =
      Pattern.compile("Started \\S*ServerConnector@\\S+\\{[^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");

  private final String kind;
  private final String endpoint;
  private final String accessKey;
  private final String secretKey;
  private final AutoCloseable stop;
  private final S3Client client;

  private S3Server(
      String kind, String endpoint, String accessKey, String secretKey, AutoCloseable stop) {
    this.kind = kind;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.stop = stop;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.of(REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
            .build();
  }

  /** MinIO when Docker is there, else S3Proxy in memory. */
  public static S3Server start() throws Exception {
    return start(null);
  }

  /**
   * MinIO when Docker is there, else S3Proxy (objects under {@code basedir} when not null). {@code
   * -Dleadloop.test.s3=s3proxy} forces S3Proxy.
   */
  public static S3Server start(Path basedir) throws Exception {
    if (!"s3proxy".equals(System.getProperty("leadloop.test.s3")) && dockerAvailable()) {
      return MinioServer.start();
    }
    return startS3Proxy(basedir);
  }

  static boolean dockerAvailable() {
    // Skip Testcontainers' probe (and its ERROR log) where no Docker engine is configured at all.
    String home = System.getProperty("user.home");
    if (System.getenv("DOCKER_HOST") == null
        && !Files.exists(Path.of("/var/run/docker.sock"))
        && !Files.exists(Path.of(home, ".docker/run/docker.sock"))
        && !Files.exists(Path.of(home, ".testcontainers.properties"))) {
      return false;
    }
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }

  static S3Server of(
      String kind, String endpoint, String accessKey, String secretKey, AutoCloseable stop) {
    return new S3Server(kind, endpoint, accessKey, secretKey, stop);
  }

  static S3Server startS3Proxy(Path basedir) throws Exception {
    Path jar = TestPaths.repoRoot().resolve("jobs/target/s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build with mvn (not -DskipTests) to copy it");
    }
    String access = "test-" + random(4);
    String secret = random(16);
    Path dir = Files.createTempDirectory("s3proxy");
    List<String> props = new ArrayList<>();
    props.add("s3proxy.endpoint=http://127.0.0.1:0");
    props.add("s3proxy.authorization=aws-v2-or-v4");
    props.add("s3proxy.identity=" + access);
    props.add("s3proxy.credential=" + secret);
    if (basedir == null) {
      props.add("jclouds.provider=transient-nio2");
    } else {
      Files.createDirectories(basedir);
      props.add("jclouds.provider=filesystem-nio2");
      props.add("jclouds.filesystem.basedir=" + basedir.toAbsolutePath());
    }
    props.add("jclouds.identity=" + access);
    props.add("jclouds.credential=" + secret);
    Path file = dir.resolve("s3proxy.properties");
    Files.write(file, props);
    ChildJvm proc =
        ChildJvm.start(
            "s3proxy",
            List.of(
                ChildJvm.java(), "-Xmx2g", "-jar", jar.toString(), "--properties", file.toString()),
            // INFO: the bound port is read from Jetty's "Started ...ServerConnector" line
            Map.of("LOG_LEVEL", "info"),
            dir.resolve("s3proxy.log"));
    try {
      String port = proc.awaitLine(S3PROXY_PORT, Duration.ofSeconds(90)).group(1);
      return new S3Server("S3Proxy", "http://127.0.0.1:" + port, access, secret, proc);
    } catch (RuntimeException | InterruptedException e) {
      proc.close();
      throw e;
    }
  }

  static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** "MinIO" or "S3Proxy". */
  public String kind() {
    return kind;
  }

  public String endpoint() {
    return endpoint;
  }

  public S3Client client() {
    return client;
  }

  /** A new bucket with a unique name (so cached S3A file systems never mix servers). */
  public String createBucket(String prefix) {
    String bucket = prefix + "-" + random(4);
    client.createBucket(b -> b.bucket(bucket));
    return bucket;
  }

  /**
   * Points S3A at this server for {@code bucket} only: the endpoint, path style and region from
   * {@link Sessions#s3aSettings} plus this server's credentials, all as per-bucket options.
   */
  public void configure(Configuration conf, String bucket) {
    String p = "fs.s3a.bucket." + bucket + ".";
    Sessions.s3aSettings(endpoint, true, REGION)
        .forEach((k, v) -> conf.set(p + k.substring("fs.s3a.".length()), v));
    conf.set(
        p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set(p + "access.key", accessKey);
    conf.set(p + "secret.key", secretKey);
  }

  /** Removes what {@link #configure} set and closes the cached S3A file system of the bucket. */
  public static void unconfigure(Configuration conf, String bucket) throws IOException {
    FileSystem.get(URI.create("s3a://" + bucket + "/"), conf).close();
    String p = "fs.s3a.bucket." + bucket + ".";
    List<String> keys = new ArrayList<>();
    conf.forEach(
        e -> {
          if (e.getKey().startsWith(p)) {
            keys.add(e.getKey());
          }
        });
    keys.forEach(conf::unset);
  }

  /** Uploads every file under {@code dir} to {@code s3://bucket/prefix/<relative path>}. */
  public int upload(Path dir, String bucket, String prefix) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      String key = prefix + "/" + dir.relativize(f).toString().replace('\\', '/');
      client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(f));
    }
    return files.size();
  }

  /** Every key under {@code prefix/}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    return client
        .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/"))
        .contents()
        .stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  /** Downloads every object under {@code prefix/} (not folder markers) into {@code dir}. */
  public int download(String bucket, String prefix, Path dir) throws IOException {
    int n = 0;
    for (String key : keys(bucket, prefix)) {
      if (key.endsWith("/")) {
        continue;
      }
      Path f = dir.resolve(key.substring(prefix.length() + 1));
      Files.createDirectories(f.getParent());
      Files.write(f, client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
      n++;
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    client.close();
    stop.close();
  }

  @Override
  public String toString() {
    return kind + " at " + endpoint;
  }
}
