package io.leadloop.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.schema.Entity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The landing scan: which files are data, their order, and each file's own content hash. */
class LandingScanTest {
  /** SHA-256 of the empty string and of "abc" (FIPS 180-2, appendix B.1). */
  private static final String EMPTY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void hashesEveryDataFileInEntityThenNameOrder(@TempDir Path landing) throws Exception {
    // Five data files, two contents: each hash must be its own file's.
    write(landing.resolve("touches/b.csv"), "abc");
    write(landing.resolve("touches/a.csv"), "");
    write(landing.resolve("leads/z.jsonl"), "abc");
    write(landing.resolve("leads/notes.txt"), "not data");
    write(landing.resolve("consent/c.csv.gz"), "");
    write(landing.resolve("leads/y.csv"), "");

    LandingScan.Result r = LandingScan.scan(landing.toString(), new Configuration());

    assertThat(r.files())
        .extracting(f -> f.entity().folder() + "/" + f.name() + " " + f.sha256() + " " + f.bytes())
        .containsExactly(
            "leads/y.csv " + EMPTY + " 0",
            "leads/z.jsonl " + ABC + " 3",
            "touches/a.csv " + EMPTY + " 0",
            "touches/b.csv " + ABC + " 3",
            "consent/c.csv.gz " + EMPTY + " 0");
    assertThat(r.ignored()).containsExactly("leads/notes.txt");
    assertThat(r.files().get(0).entity()).isEqualTo(Entity.LEADS);
  }

  private static void write(Path p, String text) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }
}
