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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Simulated outreach to stalled leads: nothing changes at effect 0; a treated lead is reached at
 * its entry as the pipeline sees it and books within the response window as often as the uplift
 * says; held-out leads are written exactly as without outreach. Entries come from {@link
 * StalledLeadEpisodes} (the spec's rules, in plain Java) on the written files, the arm from {@link
 * Holdouts} as the pipeline draws it.
 */
class OutreachTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SALT = "leadloop";
  private static final int SHARE_BP = 5000;
  private static final long PERSONS = 6000;

  /** Persons of the late runs: see {@link #noTimeSlotGainsMoreThanPricingUnclear}. */
  private static final long LATE_PERSONS = 25_000;

  private static final long SEED = 17;
  private static final double EFFECT = 2;
  private static final Duration DAYS_2 = Duration.ofDays(2);
  private static final Duration DAYS_14 = Duration.ofDays(14);

  /** The end of the default period (2025-10-06 + 52 weeks): every row lies before it. */
  private static final Instant END = Instant.parse("2026-10-05T00:00:00Z");

  /** The first Sunday of the default period, the first published as-of by default. */
  private static final LocalDate FIRST_SUNDAY = LocalDate.parse("2025-10-12");

  /**
   * A late first publication, four Sundays before the period's end: the leads already stalled then
   * (many of them recycled, with a reason) all enter at once, as at a first export.
   */
  private static final LocalDate LATE = LocalDate.parse("2026-09-06");

  /** The last Sunday of the default period. */
  private static final LocalDate LAST_SUNDAY = LocalDate.parse("2026-10-04");

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

  /** Without bad rows (read by {@link StalledLeadEpisodes}): without outreach, with it, late. */
  private static StalledLeadEpisodes without;

  private static StalledLeadEpisodes with;

  /** Published late, a larger clinic: without outreach and with it. */
  private static StalledLeadEpisodes lateWithout;

  private static StalledLeadEpisodes late;

  /** Reactivation touches per lead, in the sets with outreach. */
  private static Map<String, List<Instant>> reached;

  private static Map<String, List<Instant>> reachedLate;

  /** With bad rows (the default share), without and with outreach. */
  private static Landing withoutBad;

  private static Landing withBad;

  @BeforeAll
  static void generate() throws IOException {
    without = StalledLeadEpisodes.read(run("without", PERSONS, 0, 0, null));
    with = StalledLeadEpisodes.read(run("with", PERSONS, 0, EFFECT, null));
    lateWithout = StalledLeadEpisodes.read(run("late-without", LATE_PERSONS, 0, 0, null));
    late = StalledLeadEpisodes.read(run("late", LATE_PERSONS, 0, EFFECT, LATE));
    assertThat(reactivations(tmp.resolve("without"))).isEmpty();
    reached = reactivations(tmp.resolve("with"));
    reachedLate = reactivations(tmp.resolve("late"));
    double share = GenerateOptions.DEFAULT_REJECT_SHARE;
    withoutBad = Landing.read(run("without-bad", PERSONS, share, 0, null));
    withBad = Landing.read(run("with-bad", PERSONS, share, EFFECT, null));
  }

  private static Path run(
      String dir, long persons, double rejectShare, double effect, LocalDate published) {
    Path out = tmp.resolve(dir);
    new Generator(
            new GenerateOptions(
                persons,
                SEED,
                out,
                rejectShare,
                GenerateOptions.DEFAULT_START,
                GenerateOptions.DEFAULT_WEEKS,
                SALT,
                new BigDecimal("0.5"),
                effect,
                published))
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
   * Every reactivation touch names a treated lead, one per lead, and lies within 2 days of the
   * lead's entry cutoff as the pipeline's rules give it (every Sunday published). Not exactly all:
   * the generator writes newsletters after it decides, and a newsletter is a contact, so one in the
   * 3 days before a cutoff moves an entry by a week (cooldown) where the generator did not see it.
   * By hand: 72% of persons allow email, 35% of those get 1 to 6 newsletters (3.5 on average)
   * spread over the half year or so from their first lead, about 0.72 × 0.35 × 3.5 / 180 ≈ 0.005 a
   * day, so one falls in a given 3 days for about 1.5% of persons: at least 97% of the reached
   * leads are reached at the entry. The other way, of the treated entries (whose contact window
   * ends in the period) the generator reaches all but those with no permitted channel (no opt-in at
   * all: 0.28 × 0.45 × 0.38 × 0.65 ≈ 3.1%, a little more with opt-outs) and those the newsletters
   * moved: at least 93%.
   */
  @Test
  void outreachReachesTreatedLeadsAtTheirEntry() {
    Map<String, Instant> entries = with.entries(FIRST_SUNDAY, LAST_SUNDAY);
    assertThat(reached).isNotEmpty();
    assertThat(reached.keySet()).allMatch(OutreachTest::treated);
    assertThat(reached.values()).allMatch(touches -> touches.size() == 1);
    long atEntry =
        reached.entrySet().stream()
            .filter(r -> inWindow(r.getValue().get(0), entries.get(r.getKey()), DAYS_2))
            .count();
    List<String> treatedEntries =
        entries.entrySet().stream()
            .filter(e -> treated(e.getKey()) && !e.getValue().plus(DAYS_2).isAfter(END))
            .map(Map.Entry::getKey)
            .toList();
    long reachedEntries =
        treatedEntries.stream()
            .filter(l -> reached.containsKey(l))
            .filter(l -> inWindow(reached.get(l).get(0), entries.get(l), DAYS_2))
            .count();
    System.out.printf(
        "reached %d leads, %d at their entry; %d treated entries, %d reached%n",
        reached.size(), atEntry, treatedEntries.size(), reachedEntries);
    assertThat((double) atEntry / reached.size()).isGreaterThanOrEqualTo(0.97);
    assertThat((double) reachedEntries / treatedEntries.size()).isGreaterThanOrEqualTo(0.93);
  }

  /**
   * The leads reached at their entry, without and with outreach (same seed: the same lives up to
   * the entry): each books (a {@code booked} stage event) within 14 days of the entry cutoff with
   * outreach if it did without, and otherwise with chance effect × uplift(reason) × 0.2465, by the
   * reason of its latest recycle before the entry: 2 × 0.4 × 0.2465 = 0.1972 for no_time_slot, 2 ×
   * 0.1 × 0.2465 = 0.0493 for pricing_unclear, 2 × 0.2 × 0.2465 = 0.0986 for any other reason or
   * none (the table written out here, not read from the code). With every Sunday published most
   * leads enter fresh, never recycled, so some 1,900 leads gain about 0.0986 each: some 180
   * bookings, each its own draw (standard deviation about sqrt(180 × 0.9) ≈ 13). The number added
   * lies within 4 standard deviations of the sum of the chances.
   */
  @Test
  void reachedLeadsBookWithinTheResponseWindowAsTheUpliftSays() {
    Gain g = gain(without, with, reached, FIRST_SUNDAY, LAST_SUNDAY, null);
    System.out.printf(
        "reached at entry %d: booked in the window %d without, %d with; expected gain %.1f (sd"
            + " %.1f)%n",
        g.leads, g.before, g.after, g.expected, Math.sqrt(g.variance));
    assertThat(g.leads).isGreaterThan(1000);
    assertThat(g.lost).isZero();
    assertThat((double) (g.after - g.before))
        .isBetween(g.expected - 4 * Math.sqrt(g.variance), g.expected + 4 * Math.sqrt(g.variance));
  }

  /**
   * Published late (first list 2026-09-06), the leads already stalled enter at once, many of them
   * recycled, so that the reasons can be told apart: per reason of the latest recycle before the
   * entry, the bookings outreach adds within the window are within 4 standard deviations of the
   * chances worked out above (0.1972, 0.0493 and 0.0986 per lead that did not book without), and
   * no_time_slot gains more per lead than pricing_unclear. 25,000 persons give some 150
   * no_time_slot and 100 pricing_unclear leads reached at their entry: rates of 0.197 and 0.049
   * whose difference has a standard deviation of sqrt(0.197 × 0.803 / 150 + 0.049 × 0.951 / 100) ≈
   * 0.039, so the expected 0.148 is nearly 4 of them above 0.
   */
  @Test
  void noTimeSlotGainsMoreThanPricingUnclear() {
    Map<String, Double> rates = new TreeMap<>();
    for (String reason : List.of("no_time_slot", "pricing_unclear", "other")) {
      Gain g = gain(lateWithout, late, reachedLate, LATE, LAST_SUNDAY, reason);
      System.out.printf(
          "%s: %d reached, %d did not book without; gained %d, expected %.1f (sd %.1f)%n",
          reason,
          g.leads,
          g.leads - g.before,
          g.after - g.before,
          g.expected,
          Math.sqrt(g.variance));
      assertThat(g.lost).isZero();
      assertThat(g.leads - g.before).as(reason).isGreaterThan(50);
      assertThat((double) (g.after - g.before))
          .as(reason)
          .isBetween(
              g.expected - 4 * Math.sqrt(g.variance), g.expected + 4 * Math.sqrt(g.variance));
      rates.put(reason, (double) (g.after - g.before) / (g.leads - g.before));
    }
    assertThat(rates.get("no_time_slot")).isGreaterThan(rates.get("pricing_unclear"));
  }

  /** What outreach added in the response window, for the leads reached at their entry. */
  private record Gain(
      long leads, long before, long after, long lost, double expected, double variance) {}

  /**
   * Over the leads reached within 2 days of their entry whose response window ends in the period
   * (of one reason class, or all if {@code reason} is null): booked in the window without and with
   * outreach, those booked without but not with ({@code lost}), and the sum and variance of the
   * chances of those that did not book without.
   */
  private static Gain gain(
      StalledLeadEpisodes unreached,
      StalledLeadEpisodes set,
      Map<String, List<Instant>> touches,
      LocalDate first,
      LocalDate last,
      String reason) {
    Map<String, Instant> entries = set.entries(first, last);
    long leads = 0;
    long before = 0;
    long after = 0;
    long lost = 0;
    double expected = 0;
    double variance = 0;
    for (Map.Entry<String, List<Instant>> t : touches.entrySet()) {
      Instant entry = entries.get(t.getKey());
      if (!inWindow(t.getValue().get(0), entry, DAYS_2) || entry.plus(DAYS_14).isAfter(END)) {
        continue;
      }
      String why = set.latestRecycleReason(t.getKey(), entry);
      String cls = "no_time_slot".equals(why) || "pricing_unclear".equals(why) ? why : "other";
      if (reason != null && !reason.equals(cls)) {
        continue;
      }
      boolean b = bookedIn(unreached, t.getKey(), entry);
      boolean a = bookedIn(set, t.getKey(), entry);
      leads++;
      before += b ? 1 : 0;
      after += a ? 1 : 0;
      lost += b && !a ? 1 : 0;
      if (!b) {
        double q = chance(cls);
        expected += q;
        variance += q * (1 - q);
      }
    }
    return new Gain(leads, before, after, lost, expected, variance);
  }

  /** By hand: effect 2 × (0.4, 0.1 or 0.2 by reason) × 0.2465. */
  private static double chance(String reasonClass) {
    return switch (reasonClass) {
      case "no_time_slot" -> 2 * 0.4 * 0.2465;
      case "pricing_unclear" -> 2 * 0.1 * 0.2465;
      default -> 2 * 0.2 * 0.2465;
    };
  }

  private static boolean bookedIn(StalledLeadEpisodes set, String lead, Instant entry) {
    return set.events.getOrDefault(lead, List.of()).stream()
        .anyMatch(e -> e.stage().equals("booked") && inWindow(e.at(), entry, DAYS_14));
  }

  private static boolean inWindow(Instant t, Instant from, Duration length) {
    return from != null && !t.isBefore(from) && t.isBefore(from.plus(length));
  }

  /** The reactivation touches of a set without bad rows, per lead, in time order. */
  private static Map<String, List<Instant>> reactivations(Path landing) throws IOException {
    Map<String, List<Instant>> out = new TreeMap<>();
    for (Map<String, String> r : StalledLeadEpisodes.records(landing.resolve("touches"))) {
      if (Outreach.CAMPAIGN.equals(StalledLeadEpisodes.code(r.get("campaign")))) {
        out.computeIfAbsent(r.get("lead_id"), k -> new ArrayList<>())
            .add(StalledLeadEpisodes.instant(r.get("occurred_at")));
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  /**
   * With bad rows in the files (drawn from the person's streams, and for outreach rows from the
   * outreach stream): every held-out lead and every treated lead outreach did not reach has the
   * same events as without outreach, and a reached lead the same events before its entry cutoff
   * (the Monday at or before its reactivation touch: the touch comes within 2 days of it).
   */
  @Test
  void heldOutAndUnreachedLeadsAreWrittenExactlyAsWithoutOutreach() {
    long heldOut = 0;
    long unreached = 0;
    for (Map.Entry<String, List<Event>> e : withoutBad.events.entrySet()) {
      String lead = e.getKey();
      Instant touch = withBad.reached.get(lead);
      if (touch == null) {
        assertThat(withBad.events.get(lead)).as(lead).isEqualTo(e.getValue());
        heldOut += treated(lead) ? 0 : 1;
        unreached += treated(lead) ? 1 : 0;
      } else {
        Instant monday =
            LocalDate.ofInstant(touch, ZoneOffset.UTC)
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        assertThat(before(withBad.events.get(lead), monday))
            .as(lead)
            .isNotEmpty()
            .isEqualTo(before(e.getValue(), monday));
      }
    }
    System.out.printf(
        "identical: %d held-out, %d unreached treated leads; %d reached%n",
        heldOut, unreached, withBad.reached.size());
    assertThat(heldOut).isGreaterThan(3000);
    assertThat(unreached).isGreaterThan(1000);
    assertThat(withBad.reached).isNotEmpty().allSatisfy((lead, at) -> assertThat(treated(lead)));
  }

  private static List<Event> before(List<Event> events, Instant t) {
    return events.stream().filter(e -> e.at().isBefore(t)).toList();
  }

  /** Outreach adds rows for treated leads only: leads, consent and suppression stay the same. */
  @Test
  void outreachLeavesWhatItDoesNotTouchAsItWas() throws Exception {
    for (String entity : List.of("leads", "consent", "suppression")) {
      assertThat(folderDigest(tmp.resolve("with-bad").resolve(entity)))
          .as(entity)
          .isEqualTo(folderDigest(tmp.resolve("without-bad").resolve(entity)));
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
    // The default start, 2025-10-06, is a Monday: its first Sunday is 2025-10-12.
    assertThat(o.publishedFrom()).isEqualTo(FIRST_SUNDAY);
    assertThat(options(out, SALT, "0.1", 1).publishedFrom()).isEqualTo(FIRST_SUNDAY);
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

  /** A good lead_events row: its JSON without event_id, and its time. */
  record Event(String json, Instant at) {}

  /**
   * What the identity test reads from a landing folder with bad rows: the good lead_events rows by
   * lead (without their event_id, which outreach rows shift), in event_id order, and each lead's
   * reactivation touch.
   */
  private static final class Landing {
    final Map<String, List<Event>> events = new TreeMap<>();
    final Map<String, Instant> reached = new HashMap<>();

    static Landing read(Path root) throws IOException {
      Landing l = new Landing();
      Map<String, TreeMap<String, Event>> byId = new HashMap<>();
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
        String at = n.get("occurred_at").asText();
        if (lead.startsWith("LX") || !STAGES.contains(stage) || !TIMESTAMP.matcher(at).matches()) {
          continue; // a bad copy: unknown lead, unknown stage, not a timestamp
        }
        ObjectNode rest = ((ObjectNode) n).deepCopy();
        rest.remove("event_id");
        byId.computeIfAbsent(lead, k -> new TreeMap<>())
            .put(
                n.get("event_id").asText(),
                new Event(rest.toString(), StalledLeadEpisodes.instant(at)));
      }
      byId.forEach((lead, rows) -> l.events.put(lead, new ArrayList<>(rows.values())));
      for (Path f : files(root.resolve("touches"))) {
        boolean csv = f.getFileName().toString().contains(".csv");
        for (String line : lines(f)) {
          String lead;
          String campaign;
          String at;
          if (csv) {
            String[] v = line.split(",", -1);
            if (v.length < 8) {
              continue;
            }
            lead = v[2];
            at = v[3];
            campaign = v[7];
          } else {
            JsonNode n = parse(line);
            if (n == null) {
              continue;
            }
            lead = n.path("lead_id").asText("");
            at = n.path("occurred_at").asText("");
            campaign = n.path("campaign").asText("");
          }
          if (code(campaign).equals(Outreach.CAMPAIGN)
              && !lead.isEmpty()
              && TIMESTAMP.matcher(at).matches()) {
            l.reached.put(lead, StalledLeadEpisodes.instant(at));
          }
        }
      }
      return l;
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
