package io.leadloop.jobs;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations beside the checkout: the repo root and {@code ../shared} (spec, conformance). */
public final class TestPaths {
  private TestPaths() {}

  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("bin/leadloop"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "Cannot find the repo root above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  public static Path shared() {
    Path s = repoRoot().resolveSibling("shared");
    if (!Files.isDirectory(s.resolve("conformance"))) {
      throw new IllegalStateException(
          "Cannot find ../shared/conformance beside the checkout at " + s);
    }
    return s;
  }
}
