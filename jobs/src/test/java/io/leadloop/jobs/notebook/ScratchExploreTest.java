package io.leadloop.jobs.notebook;

import io.leadloop.common.SparkTestBase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScratchExploreTest extends SparkTestBase {
  @Test
  void run() {
    try {
      new NotebookRunner(spark(), System.getProperty("wh"), null).run(Path.of(System.getProperty("nb")));
    } catch (RuntimeException e) {
      System.out.println("FAILED " + e.getMessage());
    }
  }
}
