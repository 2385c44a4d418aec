package io.leadloop.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad invocations end with one line on stderr, status 2, and nothing written. These fail before
 * Spark starts.
 */
class CliValidationTest {
  @TempDir Path tmp;

  private String run(String... argv) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run(argv)).isEqualTo(2);
    } finally {
      System.setErr(old);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    return text.strip();
  }

  private String weekly(String landing, String asOf, String out, String... extra) {
    String[] base = {
      "weekly",
      "--landing",
      landing,
      "--warehouse",
      tmp.resolve("wh").toString(),
      "--out",
      out,
      "--as-of",
      asOf
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return run(all);
  }

  @Test
  void eachBadInputIsOneLineAndWritesNothing() throws Exception {
    Path landing = Files.createDirectories(tmp.resolve("landing"));
    String out = tmp.resolve("out").toString();
    assertThat(weekly(tmp.resolve("nope").toString(), "2026-09-30", out))
        .isEqualTo(
            "leadloop: Cannot run weekly: --landing " + tmp.resolve("nope") + " does not exist");
    assertThat(weekly(landing.toString(), "2026-02-30", out))
        .contains("--as-of '2026-02-30' is not a date");
    assertThat(weekly(landing.toString(), "2999-01-01", out))
        .contains("--as-of 2999-01-01 is in the future");
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertThat(weekly(landing.toString(), "2026-09-30", file.resolve("out").toString()))
        .contains("--out")
        .contains("not writable");
    assertThat(
            weekly(
                landing.toString(),
                "2026-09-30",
                out,
                "--config",
                tmp.resolve("missing.yaml").toString()))
        .contains("missing.yaml does not exist");
    Path badConfig = Files.writeString(tmp.resolve("bad.yaml"), "booking_window_days: -3\n");
    assertThat(weekly(landing.toString(), "2026-09-30", out, "--config", badConfig.toString()))
        .contains("booking_window_days");
    assertThat(weekly(landing.toString(), "2026-09-30", out, "--ingested-at", "noon"))
        .contains("--ingested-at 'noon'");
    assertThat(run("weekly", "--landing", landing.toString())).contains("--warehouse is required");
    assertThat(run("frobnicate")).contains("unknown command");
    assertThat(run("weekly", "--bogus", "x")).contains("unknown option --bogus");
    assertThat(Files.exists(tmp.resolve("wh"))).isFalse();
    assertThat(Files.exists(tmp.resolve("out"))).isFalse();
  }
}
