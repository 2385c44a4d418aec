package io.leadloop.tools.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadloop.common.LeadloopException;
import io.leadloop.common.metrics.Holdouts;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated outreach to stalled leads: nothing changes at effect 0, treated stalls book more often
 * after the stall, held-out ones exactly as without outreach. Rates are computed from the written
 * files in plain Java, the arm with {@link Holdouts} as the pipeline draws it.
 */
class OutreachTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SALT = "leadloop";
  private static final int SHARE_BP = 5000;
  private static final long PERSONS = 6000;
  private static final long SEED = 17;
  private static final double EFFECT = 2;

  /** Good rows only: a timestamp with a time (bad copies carry "yesterday", a date alone, ...). */
  private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:.*");

  private static final Set<String> STAGES =
      Set.of(
          "new",
          "attempted_contact",
          "contacted",
          "qualified",
          "booked",
          "recycled",
          "closed_lost",
          "not_a_fit");

  @TempDir static Path tmp;

  /** The same seed and share, without outreach and with it. */
  private static Landing without;

  private static Landing with;

  @BeforeAll
  static void generate() throws IOException {
    without = Landing.read(run("without", 0));
    with = Landing.read(run("with", EFFECT));
  }

  private static Path run(String dir, double effect) {
    Path out = tmp.resolve(dir);
    new Generator(
            new GenerateOptions(
                PERSONS,
                SEED,
                out,
                GenerateOptions.DEFAULT_REJECT_SHARE,
                GenerateOptions.DEFAULT_START,
                GenerateOptions.DEFAULT_WEEKS,
                SALT,
                new BigDecimal("0.5"),
                effect))
        .execute();
    return out;
  }

  /**
   * The value was obtained by running main's generator (commit c1d3832, before outreach existed)
   * with {@code new GenerateOptions(1500, 5, out)} and hashing the folder as {@link #folderDigest}
   * does; the row counts are that run's {@code GenerateResult.rows()}. Any change to what the
   * generator writes without outreach changes it.
   */
  @Test
  void atEffectZeroTheFilesAreThoseOfTheGeneratorWithoutOutreach() throws Exception {
    String mainDigest = "5b6bec82e4a1b5e852f3b32c95cec217979aa7869a78d92270ed1a9fc5aa670b";
    Path absent = tmp.resolve("absent");
    GenerateResult r = new Generator(new GenerateOptions(1500, 5, absent)).execute();
    Path zero = tmp.resolve("zero");
    new Generator(
            new GenerateOptions(
                1500,
                5,
                zero,
                GenerateOptions.DEFAULT_REJECT_SHARE,
                GenerateOptions.DEFAULT_START,
                GenerateOptions.DEFAULT_WEEKS,
                "another salt",
                new BigDecimal("0.5"),
                0))
        .execute();
    assertThat(folderDigest(absent)).isEqualTo(mainDigest);
    assertThat(folderDigest(zero)).isEqualTo(mainDigest);
    assertThat(r.rows())
        .containsExactly(
            Map.entry("leads", 2126L),
            Map.entry("lead_events", 7315L),
            Map.entry("touches", 8430L),
            Map.entry("appointments", 1938L),
            Map.entry("consent", 3734L),
            Map.entry("suppression", 21L));
  }

  /**
   * Expected, by hand, from LeadLifecycle's weights. A decision after a stall is recontacted with
   * 0.45 (then booked 45 / 100) or not (8 / 100): it books with 0.45 × 0.45 + 0.55 × 0.08 = 0.2465
   * and recycles again with 0.45 × 0.15 + 0.55 × 0.25 = 0.205 (the fourth recycle is the last:
   * 0.2969), so a stalled lead books after its stall with about 0.2465 × (1 + 0.205 + 0.205²) +
   * 0.205³ × 0.2969 = 0.31, less where the period ends first. Outreach multiplies every stall's
   * booking chance by 1 + 2 × u, u the table's value for the stall's reason: by the reasons'
   * weights (no_time_slot 15%, pricing_unclear 10%, the rest 75%) 0.15 × 0.4 + 0.10 × 0.1 + 0.75 ×
   * 0.2 = 0.22, so 1 + 2 × 0.22 = 1.44, times the share of stalls reached (a permitted channel: at
   * most 1 - 0.28 × 0.45 × 0.38 × 0.65 = 0.97). The expected lift is then about 0.42 × 0.28 ≈ 0.12.
   * With about 1,500 stalled leads per arm (6,000 persons, some 8,000 leads, over a third of them
   * recycled, half held out), the difference of two rates near 0.28 and 0.40 has a standard error
   * of sqrt(0.28 × 0.72 / 1500 + 0.40 × 0.60 / 1500) ≈ 0.017: a lift above 0.06 is 3.5 standard
   * errors below the expected one, and 3.5 above none.
   */
  @Test
  void treatedStallsBookAfterTheStallMoreOftenThanHeldOutOnes() {
    Arms arms = with.arms();
    System.out.printf(
        "treatment %d/%d = %.4f, holdout %d/%d = %.4f, lift %.4f%n",
        arms.treatmentBooked,
        arms.treatment,
        arms.treatmentRate(),
        arms.holdoutBooked,
        arms.holdout,
        arms.holdoutRate(),
        arms.treatmentRate() - arms.holdoutRate());
    assertThat(arms.treatment).isBetween(1300L, 1900L);
    assertThat(arms.holdout).isBetween(1300L, 1900L);
    assertThat(arms.holdoutRate()).isBetween(0.22, 0.34);
    assertThat(arms.treatmentRate() - arms.holdoutRate()).isGreaterThan(0.06);
  }

  /**
   * The same treated leads without and with outreach (same seed, so the same stalls): their
   * bookings after the stall grow by the factor worked out above, 1 + 0.44 × reached share, between
   * 1 + 0.44 × 0.9 = 1.40 and 1.44. Some 400 bookings without outreach gain about 175, each added
   * booking its own draw (standard deviation about sqrt(175) ≈ 13, 0.03 of the ratio): the band
   * leaves over three of them on either side.
   */
  @Test
  void treatedLeadsBookAfterTheStallAboutAsOftenAsTheUpliftSays() {
    long before = without.arms().treatmentBooked;
    long after = with.arms().treatmentBooked;
    System.out.printf("treated bookings after the stall: %d without, %d with%n", before, after);
    assertThat(with.arms().treatment).isEqualTo(without.arms().treatment);
    assertThat((double) after / before).isBetween(1.30, 1.55);
  }

  /** Held-out leads are simulated exactly as without outreach: same events, same bookings. */
  @Test
  void heldOutLeadsBookExactlyAsWithoutOutreach() {
    Arms a = without.arms();
    Arms b = with.arms();
    assertThat(b.holdout).isEqualTo(a.holdout).isPositive();
    assertThat(b.holdoutBooked).isEqualTo(a.holdoutBooked).isPositive();
    Map<String, List<String>> heldOut = without.eventsOf(false);
    assertThat(heldOut).hasSize((int) a.holdout);
    assertThat(with.eventsOf(false)).isEqualTo(heldOut);
  }

  /**
   * Paired by reason of the latest stall (outreach adds no stall and removes none, and a stall's
   * decision is the last one when outreach turns it): without and with outreach, bookings grow by 1
   * + 2 × 0.4 × reached for no_time_slot (≈ 1.77) and 1 + 2 × 0.1 × reached for pricing_unclear (≈
   * 1.19). With some 75 and 45 treated bookings without outreach, about 58 and 9 are added, each
   * its own draw: standard deviations of about sqrt(58) / 75 ≈ 0.10 and sqrt(9) / 45 ≈ 0.07 on the
   * ratios. So the first is above 1.45 and the second below 1.40 (over three of them away), and the
   * first exceeds the second by more than 0.15 (expected 0.58, deviation of the difference 0.12).
   */
  @Test
  void noTimeSlotGainsMoreThanPricingUnclear() {
    double noTimeSlot = bookingRatio("no_time_slot");
    double pricing = bookingRatio("pricing_unclear");
    System.out.printf("no_time_slot %.3f, pricing_unclear %.3f%n", noTimeSlot, pricing);
    assertThat(noTimeSlot).isGreaterThan(1.45);
    assertThat(pricing).isBetween(1.0, 1.40);
    assertThat(noTimeSlot - pricing).isGreaterThan(0.15);
  }

  private static double bookingRatio(String reason) {
    long before = without.treatedBookedByReason(reason);
    long after = with.treatedBookedByReason(reason);
    System.out.printf("%s: %d -> %d%n", reason, before, after);
    assertThat(before).isGreaterThan(30);
    return (double) after / before;
  }

  /**
   * Outreach is delivered to treated stalls only: every reactivation touch names a treated lead,
   * and most treated stalled leads got one (all but those with no permitted channel, about 3%, or
   * whose stall came at the period's end). Without outreach there are none.
   */
  @Test
  void onlyTreatedStallsAreContacted() {
    assertThat(without.reached).isEmpty();
    Set<String> treated = with.stalledIn(true);
    assertThat(with.reached).isNotEmpty().isSubsetOf(treated);
    double share = (double) with.reached.size() / treated.size();
    System.out.printf("treated stalled leads contacted: %.4f%n", share);
    assertThat(share).isBetween(0.88, 0.98);
  }

  /** Outreach adds rows for treated leads only: leads, consent and suppression stay the same. */
  @Test
  void outreachLeavesWhatItDoesNotTouchAsItWas() throws Exception {
    for (String entity : List.of("leads", "consent", "suppression")) {
      assertThat(folderDigest(tmp.resolve("with").resolve(entity)))
          .as(entity)
          .isEqualTo(folderDigest(tmp.resolve("without").resolve(entity)));
    }
  }

  @Test
  void outreachOptionsAreValidated() {
    Path out = tmp.resolve("x");
    assertThatThrownBy(() -> options(out, "", "0.1", 1))
        .hasMessage("Cannot generate: holdout salt must not be empty");
    for (String share : List.of("0.6", "-0.1", "0.12345")) {
      assertThatThrownBy(() -> options(out, SALT, share, 1))
          .hasMessage(
              "Cannot generate: holdout share must be between 0 and 0.5 with at most 4 decimals"
                  + " (as the pipeline's holdout_share), was "
                  + share);
    }
    assertThatThrownBy(() -> options(out, SALT, "0.1", 2.5))
        .hasMessage("Cannot generate: outreach effect must be between 0 and 2.0, was 2.5");
    assertThatThrownBy(() -> options(out, SALT, "0.1", Double.NaN))
        .hasMessageContaining("outreach effect");
    assertThat(options(out, SALT, "0.12340", 2).holdoutBasisPoints()).isEqualTo(1234);
    GenerateOptions o = new GenerateOptions(5, 1, out);
    assertThat(o.holdoutSalt()).isEqualTo("leadloop");
    assertThat(o.holdoutBasisPoints()).isZero();
    assertThat(o.outreachEffect()).isZero();
  }

  @Test
  void theCommandPassesTheOutreachOptions() throws Exception {
    Path viaCommand = tmp.resolve("command");
    new GenerateCommand()
        .run(
            List.of(
                "--persons",
                "300",
                "--seed",
                "3",
                "--out",
                viaCommand.toString(),
                "--holdout-salt",
                "s",
                "--holdout-share",
                "0.25",
                "--outreach-effect",
                "1.5"));
    Path direct = tmp.resolve("direct");
    new Generator(options(direct, "s", "0.25", 1.5)).execute();
    assertThat(folderDigest(viaCommand)).isEqualTo(folderDigest(direct));
    Path plain = tmp.resolve("plain");
    new Generator(new GenerateOptions(300, 3, plain)).execute();
    assertThat(folderDigest(viaCommand)).isNotEqualTo(folderDigest(plain));
    assertThatThrownBy(
            () ->
                new GenerateCommand()
                    .run(
                        List.of(
                            "--persons",
                            "3",
                            "--out",
                            tmp.resolve("bad").toString(),
                            "--holdout-share",
                            "half")))
        .isInstanceOf(LeadloopException.class)
        .hasMessage("Cannot run generate: --holdout-share 'half' is not a number");
  }

  private static GenerateOptions options(Path out, String salt, String share, double effect) {
    return new GenerateOptions(
        300,
        3,
        out,
        GenerateOptions.DEFAULT_REJECT_SHARE,
        GenerateOptions.DEFAULT_START,
        GenerateOptions.DEFAULT_WEEKS,
        salt,
        new BigDecimal(share),
        effect);
  }

  /** Stalled leads per arm and those of them that booked after the stall. */
  record Arms(long treatment, long treatmentBooked, long holdout, long holdoutBooked) {
    double treatmentRate() {
      return (double) treatmentBooked / treatment;
    }

    double holdoutRate() {
      return (double) holdoutBooked / holdout;
    }
  }

  /**
   * What the tests read from a landing folder: the good lead_events rows by lead (without their
   * event_id, which outreach rows shift), and the leads that got a reactivation touch.
   */
  private static final class Landing {
    /** Per lead, its events as JSON lines without event_id, in event_id order. */
    final Map<String, List<String>> events = new TreeMap<>();

    final Map<String, String> latestRecycleReason = new HashMap<>();
    final Set<String> booked = new HashSet<>();
    final Set<String> reached = new HashSet<>();

    static Landing read(Path root) throws IOException {
      Landing l = new Landing();
      Map<String, String> latestRecycleId = new HashMap<>();
      Map<String, TreeMap<String, String>> byId = new HashMap<>();
      for (String line : lines(root.resolve("lead_events"))) {
        JsonNode n = parse(line);
        if (n == null
            || !n.hasNonNull("event_id")
            || !n.hasNonNull("lead_id")
            || !n.hasNonNull("occurred_at")
            || !n.hasNonNull("stage")) {
          continue; // a bad copy: cut off or a required field missing
        }
        String lead = n.get("lead_id").asText();
        String stage = n.get("stage").asText().toLowerCase(Locale.ROOT);
        if (lead.startsWith("LX")
            || !STAGES.contains(stage)
            || !TIMESTAMP.matcher(n.get("occurred_at").asText()).matches()) {
          continue; // a bad copy: unknown lead, unknown stage, not a timestamp
        }
        String id = n.get("event_id").asText();
        ObjectNode rest = ((ObjectNode) n).deepCopy();
        rest.remove("event_id");
        byId.computeIfAbsent(lead, k -> new TreeMap<>()).put(id, rest.toString());
        if (stage.equals("booked")) {
          l.booked.add(lead);
        } else if (stage.equals("recycled")
            && id.compareTo(latestRecycleId.getOrDefault(lead, "")) > 0) {
          latestRecycleId.put(lead, id);
          l.latestRecycleReason.put(lead, code(n.path("reason").asText("")));
        }
      }
      byId.forEach((lead, rows) -> l.events.put(lead, new ArrayList<>(rows.values())));
      for (Path f : files(root.resolve("touches"))) {
        boolean csv = f.getFileName().toString().contains(".csv");
        for (String line : lines(f)) {
          String lead;
          String campaign;
          if (csv) {
            String[] v = line.split(",", -1);
            if (v.length < 8) {
              continue;
            }
            lead = v[2];
            campaign = v[7];
          } else {
            JsonNode n = parse(line);
            if (n == null) {
              continue;
            }
            lead = n.path("lead_id").asText("");
            campaign = n.path("campaign").asText("");
          }
          if (code(campaign).equals(Outreach.CAMPAIGN) && !lead.isEmpty()) {
            l.reached.add(lead);
          }
        }
      }
      return l;
    }

    /**
     * A stalled lead is one with a recycle. Booking ends a lead's lifecycle, so a recycled lead's
     * booking comes after its stall: it booked after the stall.
     */
    Arms arms() {
      long t = 0;
      long tb = 0;
      long h = 0;
      long hb = 0;
      for (String lead : latestRecycleReason.keySet()) {
        boolean b = booked.contains(lead);
        if (treated(lead)) {
          t++;
          tb += b ? 1 : 0;
        } else {
          h++;
          hb += b ? 1 : 0;
        }
      }
      return new Arms(t, tb, h, hb);
    }

    Set<String> stalledIn(boolean treatment) {
      return latestRecycleReason.keySet().stream()
          .filter(lead -> treated(lead) == treatment)
          .collect(Collectors.toSet());
    }

    Map<String, List<String>> eventsOf(boolean treatment) {
      Map<String, List<String>> out = new TreeMap<>();
      for (String lead : stalledIn(treatment)) {
        out.put(lead, events.get(lead));
      }
      return out;
    }

    long treatedBookedByReason(String reason) {
      return latestRecycleReason.entrySet().stream()
          .filter(e -> e.getValue().equals(reason) && treated(e.getKey()))
          .filter(e -> booked.contains(e.getKey()))
          .count();
    }
  }

  private static boolean treated(String lead) {
    return !Holdouts.isHoldout(SALT, "stalled_lead:" + lead, SHARE_BP);
  }

  /** A code as the pipeline normalizes it: lower case, spaces and hyphens as underscores. */
  private static String code(String v) {
    return v.trim().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (IOException e) {
      return null; // a deliberately malformed line
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(f -> !f.getFileName().toString().startsWith("_"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<String> lines(Path folderOrFile) throws IOException {
    List<String> all = new ArrayList<>();
    List<Path> fs = Files.isDirectory(folderOrFile) ? files(folderOrFile) : List.of(folderOrFile);
    for (Path f : fs) {
      all.addAll(new String(content(f), StandardCharsets.UTF_8).lines().toList());
    }
    return all;
  }

  private static byte[] content(Path f) throws IOException {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return in.readAllBytes();
    }
  }

  /**
   * SHA-256 over one line per file, in order of the path relative to {@code root}: {@code path
   * sha256(content)}, the content of a {@code .gz} file uncompressed (so that the value does not
   * depend on the zlib at hand).
   */
  private static String folderDigest(Path root) throws Exception {
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = s.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    Map<String, Path> sorted = new TreeMap<>();
    for (Path f : all) {
      sorted.put(root.relativize(f).toString().replace('\\', '/'), f);
    }
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (Map.Entry<String, Path> e : sorted.entrySet()) {
      String hash =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(content(e.getValue())));
      digest.update((e.getKey() + " " + hash + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
