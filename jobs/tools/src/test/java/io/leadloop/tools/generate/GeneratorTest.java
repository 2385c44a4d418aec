package io.leadloop.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private GenerateResult generate(long persons, long seed, String dir) {
    return new Generator(new GenerateOptions(persons, seed, tmp.resolve(dir))).execute();
  }

  @Test
  void sameSeedGivesIdenticalFiles() throws Exception {
    generate(400, 11, "a");
    generate(400, 11, "b");
    Map<String, String> a = digests(tmp.resolve("a"));
    assertThat(a).isNotEmpty().isEqualTo(digests(tmp.resolve("b")));
  }

  @Test
  void differentSeedsGiveDifferentFiles() throws Exception {
    generate(400, 11, "a");
    generate(400, 12, "b");
    Map<String, String> a = digests(tmp.resolve("a"));
    Map<String, String> b = digests(tmp.resolve("b"));
    assertThat(a.get("leads/leads-00000.csv")).isNotEqualTo(b.get("leads/leads-00000.csv"));
    assertThat(a.get("touches/touches-00000.csv")).isNotEqualTo(b.get("touches/touches-00000.csv"));
  }

  @Test
  void badRowShareIsNearTheRequestedShareAndCountsMatchTheFiles() throws Exception {
    GenerateResult r = generate(1000, 3, "out");
    double share = (double) r.totalBadRows() / r.totalRows();
    assertThat(share).isBetween(0.006, 0.014);
    assertThat(r.badRows().values()).allMatch(n -> n >= 0);
    assertThat(r.badRows().get(Generator.TOUCHES)).isPositive();
    for (String entity : Generator.ENTITIES) {
      long lines = 0;
      for (Path f : dataFiles(tmp.resolve("out").resolve(entity))) {
        List<String> content = lines(f);
        lines += content.size() - (name(f).contains(".csv") ? 1 : 0);
      }
      assertThat(lines).as(entity).isEqualTo(r.rows().get(entity));
    }
  }

  @Test
  void zeroRejectShareWritesNoBadRows() {
    GenerateOptions o =
        new GenerateOptions(300, 5, tmp.resolve("clean"), 0, GenerateOptions.DEFAULT_START, 52);
    assertThat(new Generator(o).execute().totalBadRows()).isZero();
  }

  @Test
  void everyCsvHasTheContractHeaderAndTheSetHasEveryFormat() throws Exception {
    GenerateResult r = generate(1000, 3, "out");
    assertThat(r.files())
        .contains(
            "leads/leads-00000.csv",
            "leads/leads-archive-00000.csv.gz",
            "lead_events/lead_events-00000.jsonl",
            "touches/touches-00000.csv",
            "touches/touches-00000.ndjson",
            "appointments/appointments-00000.csv",
            "appointments/fhir-00000.ndjson",
            "consent/consent-00000.csv",
            "touches/_SUCCESS");
    int csvFiles = 0;
    for (String entity : Generator.ENTITIES) {
      for (Path f : dataFiles(tmp.resolve("out").resolve(entity))) {
        if (name(f).contains(".csv")) {
          String expected =
              String.join(",", Table.valueOf(entity.toUpperCase(Locale.ROOT)).columns);
          assertThat(lines(f).get(0).replace("\uFEFF", "")).as(name(f)).isEqualTo(expected);
          csvFiles++;
        }
      }
    }
    assertThat(csvFiles).isEqualTo(5);
    String fhir = lines(tmp.resolve("out/appointments/fhir-00000.ndjson")).get(0);
    assertThat(JSON.readTree(fhir).get("resourceType").asText()).isEqualTo("Appointment");
    byte[] consent = Files.readAllBytes(tmp.resolve("out/consent/consent-00000.csv"));
    assertThat(consent).startsWith(0xEF, 0xBB, 0xBF);
  }

  @Test
  void atLeastThirtyPercentOfLeadsAreRecycled() throws Exception {
    generate(1000, 3, "out");
    Path out = tmp.resolve("out");
    Set<String> leads = new HashSet<>();
    for (Path f : dataFiles(out.resolve("leads"))) {
      for (String line : lines(f).subList(1, lines(f).size())) {
        String[] v = line.split(",", -1);
        if (v.length == 13 && !v[0].isEmpty()) {
          leads.add(v[0]);
        }
      }
    }
    Set<String> recycled = new HashSet<>();
    for (String line : lines(out.resolve("lead_events/lead_events-00000.jsonl"))) {
      JsonNode n = parseOrNull(line);
      if (n != null && n.path("stage").asText().equalsIgnoreCase("recycled")) {
        recycled.add(n.path("lead_id").asText());
      }
    }
    recycled.retainAll(leads);
    assertThat(leads).hasSizeGreaterThan(1000);
    assertThat((double) recycled.size() / leads.size()).isBetween(0.30, 0.50);
  }

  @Test
  void filesRollOverAtTheRowLimit() throws Exception {
    GenerateOptions o = new GenerateOptions(200, 1, tmp.resolve("small"));
    GenerateResult r = new Generator(o, 500).execute();
    assertThat(r.files()).contains("lead_events/lead_events-00001.jsonl");
    for (Path f : dataFiles(tmp.resolve("small/lead_events"))) {
      assertThat(lines(f)).hasSizeLessThanOrEqualTo(500);
    }
  }

  @Test
  void refusesANonEmptyFolder() throws IOException {
    Files.createDirectories(tmp.resolve("used"));
    Files.writeString(tmp.resolve("used/old.csv"), "x");
    assertThatThrownBy(() -> generate(10, 1, "used"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not empty");
  }

  @Test
  void optionsAreValidated() {
    Path out = tmp.resolve("x");
    assertThatThrownBy(() -> new GenerateOptions(0, 1, out))
        .hasMessage("Cannot generate: persons must be positive");
    assertThatThrownBy(() -> new GenerateOptions(1, 1, null)).hasMessageContaining("out");
    assertThatThrownBy(() -> new GenerateOptions(1, 1, out, 0.7, GenerateOptions.DEFAULT_START, 52))
        .hasMessageContaining("reject share");
    assertThatThrownBy(() -> new GenerateOptions(1, 1, out, 0.01, GenerateOptions.DEFAULT_START, 0))
        .hasMessageContaining("weeks");
    GenerateOptions o = new GenerateOptions(5, 1, out);
    assertThat(o.rejectShare()).isEqualTo(0.01);
    assertThat(o.start()).hasToString("2025-10-06");
    assertThat(o.weeks()).isEqualTo(52);
  }

  private static JsonNode parseOrNull(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null; // a deliberately malformed line
    }
  }

  private static String name(Path f) {
    return f.getFileName().toString();
  }

  private static List<Path> dataFiles(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(f -> !name(f).startsWith("_")).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> lines(Path f) throws IOException {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = name(f).endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return r.lines().collect(Collectors.toList());
    }
  }

  private static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        out.put(root.relativize(f).toString(), sha256(Files.readAllBytes(f)));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
