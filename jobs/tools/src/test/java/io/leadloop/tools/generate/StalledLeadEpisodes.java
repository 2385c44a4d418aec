package io.leadloop.tools.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadloop.common.metrics.Holdouts;
import io.leadloop.jobs.outcomes.Assignment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * stalled_lead episodes built in plain Java from a landing folder written without bad rows, as
 * segments.md and outcomes.md define them, for tests that cannot run the weekly pipeline for every
 * as-of: who is a member at each published cutoff, each episode's entry (the first published cutoff
 * at which its lead is a member), inheritance, and the counted episodes with their outcomes.
 *
 * <p>Every as-of from {@code firstAsOf} to {@code lastAsOf}, a week apart, is published and every
 * member is routed (a destination without filters). The default settings apply. Two exclusions are
 * left out: {@code suppressed} (the generator writes suppression entries after it decides about
 * outreach, and about 1% of persons have one) and {@code no_permitted_channel}, which depends on
 * the configured consent default.
 */
final class StalledLeadEpisodes {
  static final String SEGMENT = "stalled_lead";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ZONED = Pattern.compile(".*(Z|[+-]\\d{2}:\\d{2})$");
  private static final Duration DAY = Duration.ofDays(1);
  private static final Set<String> OPEN_STAGES =
      Set.of("new", "attempted_contact", "contacted", "qualified", "recycled");
  private static final Set<String> QUALIFYING =
      Set.of("booked", "arrived", "checked-in", "fulfilled", "noshow", "cancelled");
  private static final Set<String> KEPT = Set.of("arrived", "checked-in", "fulfilled");
  private static final Set<String> CONTACT_CHANNELS = Set.of("email", "sms", "phone", "mail");
  private static final Set<String> FAILED = Set.of("bounced", "failed");

  /**
   * A counted episode: matured by the last cutoff and not inheriting. {@code entry} is its entry
   * cutoff {@code c_e} (the start of the day after its as-of).
   */
  record Episode(
      String id,
      String personId,
      String leadId,
      String offerCode,
      Instant entry,
      String group,
      boolean booked,
      boolean contacted) {
    LocalDate asOf() {
      return LocalDate.ofInstant(entry, ZoneOffset.UTC).minusDays(1);
    }
  }

  /** A version of a lead (updated_at defaulted to created_at). */
  record LeadVersion(
      String leadId,
      String personId,
      Instant created,
      Instant updated,
      String score,
      String intent,
      String audience) {}

  record StageEvent(String eventId, String leadId, Instant at, String stage, String reason) {}

  /** A version of an appointment (updated_at defaulted to booked_at); start may be null. */
  record AppointmentVersion(
      String appointmentId,
      String personId,
      String leadId,
      Instant booked,
      Instant start,
      String status,
      Instant updated) {}

  /** What the rules read, per person. */
  static final class Person {
    final List<LeadVersion> leads = new ArrayList<>();

    /** Per appointment, its versions in file order. */
    final Map<String, List<AppointmentVersion>> appointments = new TreeMap<>();

    final List<Instant> contacts = new ArrayList<>();
  }

  final Map<String, Person> persons = new TreeMap<>();

  /** Per lead, its stage events. */
  final Map<String, List<StageEvent>> events = new HashMap<>();

  private StalledLeadEpisodes() {}

  static StalledLeadEpisodes read(Path landing) {
    try {
      StalledLeadEpisodes l = new StalledLeadEpisodes();
      for (Map<String, String> r : records(landing.resolve("leads"))) {
        Instant created = instant(r.get("created_at"));
        String updated = r.get("updated_at");
        l.person(r.get("person_id"))
            .leads
            .add(
                new LeadVersion(
                    r.get("lead_id"),
                    r.get("person_id"),
                    created,
                    updated == null ? created : instant(updated),
                    r.get("score"),
                    vocab(r.get("intent")),
                    vocab(r.get("audience"))));
      }
      for (Map<String, String> r : records(landing.resolve("lead_events"))) {
        l.events
            .computeIfAbsent(r.get("lead_id"), k -> new ArrayList<>())
            .add(
                new StageEvent(
                    r.get("event_id"),
                    r.get("lead_id"),
                    instant(r.get("occurred_at")),
                    vocab(r.get("stage")),
                    code(r.get("reason"))));
      }
      for (Map<String, String> r : records(landing.resolve("appointments"))) {
        Instant booked = instant(r.get("booked_at"));
        String start = r.get("scheduled_start");
        String updated = r.get("updated_at");
        AppointmentVersion v =
            new AppointmentVersion(
                r.get("appointment_id"),
                r.get("person_id"),
                r.get("lead_id"),
                booked,
                start == null ? null : instant(start),
                vocab(r.get("status")),
                updated == null ? booked : instant(updated));
        l.person(v.personId())
            .appointments
            .computeIfAbsent(v.appointmentId(), k -> new ArrayList<>())
            .add(v);
      }
      for (Map<String, String> r : records(landing.resolve("touches"))) {
        String direction = r.get("direction") == null ? "outbound" : vocab(r.get("direction"));
        String outcome = r.get("outcome") == null ? "sent" : vocab(r.get("outcome"));
        if (direction.equals("outbound")
            && CONTACT_CHANNELS.contains(vocab(r.get("channel")))
            && !FAILED.contains(outcome)) {
          l.person(r.get("person_id")).contacts.add(instant(r.get("occurred_at")));
        }
      }
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Person person(String id) {
    return persons.computeIfAbsent(id, k -> new Person());
  }

  /** The cutoff of an as-of: the start of the next day (UTC). */
  static Instant cutoff(LocalDate asOf) {
    return asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * Each episode's entry cutoff (lead id → cutoff), over the as-ofs from {@code firstAsOf} to
   * {@code lastAsOf}, a week apart, in lead id order.
   */
  Map<String, Instant> entries(LocalDate firstAsOf, LocalDate lastAsOf) {
    Map<String, Instant> entries = new TreeMap<>();
    for (LocalDate d = firstAsOf; !d.isAfter(lastAsOf); d = d.plusWeeks(1)) {
      Instant c = cutoff(d);
      for (Person p : persons.values()) {
        String lead = member(p, c);
        if (lead != null) {
          entries.putIfAbsent(lead, c);
        }
      }
    }
    return entries;
  }

  /**
   * The counted episodes (matured by the cutoff of {@code lastAsOf}, not inheriting), their group
   * drawn with {@link Holdouts#isHoldout}, sorted by id.
   */
  List<Episode> counted(
      LocalDate firstAsOf, LocalDate lastAsOf, Duration window, String salt, int shareBp) {
    Instant last = cutoff(lastAsOf);
    Map<String, List<Map.Entry<String, Instant>>> byPerson = new TreeMap<>();
    Map<String, String> personOf = new HashMap<>();
    for (Person p : persons.values()) {
      for (LeadVersion v : p.leads) {
        personOf.put(v.leadId(), v.personId());
      }
    }
    for (Map.Entry<String, Instant> e : entries(firstAsOf, lastAsOf).entrySet()) {
      byPerson.computeIfAbsent(personOf.get(e.getKey()), k -> new ArrayList<>()).add(e);
    }
    List<Episode> out = new ArrayList<>();
    for (Map.Entry<String, List<Map.Entry<String, Instant>>> p : byPerson.entrySet()) {
      Person person = persons.get(p.getKey());
      for (Map.Entry<String, Instant> e : p.getValue()) {
        Instant entry = e.getValue();
        boolean inheriting =
            p.getValue().stream()
                .map(Map.Entry::getValue)
                .anyMatch(other -> other.isBefore(entry) && other.isAfter(entry.minus(window)));
        if (inheriting || entry.plus(window).isAfter(last)) {
          continue;
        }
        String id = SEGMENT + ":" + e.getKey();
        out.add(
            new Episode(
                id,
                p.getKey(),
                e.getKey(),
                offerCode(latestRecycleReason(e.getKey(), entry)),
                entry,
                Holdouts.isHoldout(salt, id, shareBp) ? Assignment.HOLDOUT : Assignment.TREATMENT,
                booked(person, entry, window, last),
                person.contacts.stream()
                    .anyMatch(t -> !t.isBefore(entry) && t.isBefore(entry.plus(window)))));
      }
    }
    out.sort(Comparator.comparing(Episode::id));
    return out;
  }

  /**
   * The person's stalled_lead member lead at cutoff {@code c} (null if none): the newest lead, if
   * it qualifies (segments.md) and no exclusion applies, and the person is not a missed_appointment
   * candidate (that segment comes first).
   */
  String member(Person p, Instant c) {
    Map<String, LeadVersion> inForce = new HashMap<>();
    for (LeadVersion v : p.leads) {
      LeadVersion o = inForce.get(v.leadId());
      if (v.updated().isBefore(c) && (o == null || !v.updated().isBefore(o.updated()))) {
        inForce.put(v.leadId(), v);
      }
    }
    LeadVersion newest =
        inForce.values().stream()
            .filter(v -> v.created().isBefore(c))
            .max(Comparator.comparing(LeadVersion::created).thenComparing(LeadVersion::leadId))
            .orElse(null);
    if (newest == null || missedAppointment(p, c)) {
      return null;
    }
    Instant created = newest.created();
    if (created.isAfter(c.minus(DAY.multipliedBy(2)))
        || created.isBefore(c.minus(DAY.multipliedBy(180)))
        || "E".equals(newest.score())
        || !OPEN_STAGES.contains(latestStage(newest.leadId(), c))) {
      return null;
    }
    for (AppointmentVersion a : inForce(p, c)) {
      boolean qualifying = QUALIFYING.contains(a.status());
      if (qualifying && (newest.leadId().equals(a.leadId()) || !a.booked().isBefore(created))) {
        return null; // a booking since the lead was created
      }
    }
    for (AppointmentVersion a : inForce(p, c)) {
      if (a.start() != null
          && !a.start().isBefore(c)
          && !a.status().equals("cancelled")
          && !a.status().equals("entered-in-error")) {
        return null; // open_appointment
      }
    }
    if (contacts(p, c.minus(DAY.multipliedBy(7)), c) >= 3
        || contacts(p, c.minus(DAY.multipliedBy(30)), c) >= 8) {
      return null; // frequency_cap
    }
    if (contacts(p, c.minus(DAY.multipliedBy(3)), c) > 0) {
      return null; // cooldown
    }
    long recycles =
        events.getOrDefault(newest.leadId(), List.of()).stream()
            .filter(e -> e.at().isBefore(c) && e.stage().equals("recycled"))
            .count();
    if (recycles >= 3
        || "clinical_question".equals(newest.intent())
        || "referral_partner".equals(newest.audience())) {
      return null; // max_cycles, clinical_route, referral_partner_track
    }
    return newest.leadId();
  }

  /** The versions in force at {@code c}: per appointment the newest with updated_at before it. */
  private static List<AppointmentVersion> inForce(Person p, Instant c) {
    List<AppointmentVersion> out = new ArrayList<>();
    for (List<AppointmentVersion> versions : p.appointments.values()) {
      AppointmentVersion best = null;
      for (AppointmentVersion v : versions) {
        if (v.updated().isBefore(c) && (best == null || !v.updated().isBefore(best.updated()))) {
          best = v;
        }
      }
      if (best != null && best.booked().isBefore(c)) {
        out.add(best);
      }
    }
    return out;
  }

  private static long contacts(Person p, Instant from, Instant to) {
    return p.contacts.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
  }

  /**
   * segments.md's missed_appointment candidate: the latest miss (a noshow at its start, a
   * cancellation at its version's updated_at) lies within 90 days before {@code c}, and no kept
   * appointment starts at or after it.
   */
  private static boolean missedAppointment(Person p, Instant c) {
    Instant miss = null;
    List<AppointmentVersion> inForce = inForce(p, c);
    for (AppointmentVersion a : inForce) {
      Instant at =
          a.status().equals("noshow")
              ? a.start()
              : a.status().equals("cancelled") ? a.updated() : null;
      if (at != null && (miss == null || at.isAfter(miss))) {
        miss = at;
      }
    }
    if (miss == null || miss.isBefore(c.minus(DAY.multipliedBy(90)))) {
      return false;
    }
    for (AppointmentVersion a : inForce) {
      if (KEPT.contains(a.status()) && a.start() != null && !a.start().isBefore(miss)) {
        return false;
      }
    }
    return true;
  }

  /** The lead's latest stage before {@code c} (ties: greatest event_id), {@code new} if none. */
  String latestStage(String lead, Instant c) {
    return events.getOrDefault(lead, List.of()).stream()
        .filter(e -> e.at().isBefore(c))
        .max(Comparator.comparing(StageEvent::at).thenComparing(StageEvent::eventId))
        .map(StageEvent::stage)
        .orElse("new");
  }

  /** The reason of the lead's latest recycle before {@code c} (null: none, or no reason). */
  String latestRecycleReason(String lead, Instant c) {
    return events.getOrDefault(lead, List.of()).stream()
        .filter(e -> e.at().isBefore(c) && e.stage().equals("recycled"))
        .max(Comparator.comparing(StageEvent::at).thenComparing(StageEvent::eventId))
        .map(StageEvent::reason)
        .orElse(null);
  }

  /**
   * outcomes.md's booked: an appointment of the person whose version in force at {@code last} is a
   * qualifying booking, not cancelled, booked in {@code [entry, entry + window)}.
   */
  private static boolean booked(Person p, Instant entry, Duration window, Instant last) {
    for (AppointmentVersion a : inForce(p, last)) {
      if (QUALIFYING.contains(a.status())
          && !a.status().equals("cancelled")
          && !a.booked().isBefore(entry)
          && a.booked().isBefore(entry.plus(window))) {
        return true;
      }
    }
    return false;
  }

  /** segments.md's next step of a stalled lead by the reason of its latest recycle. */
  static String offerCode(String reason) {
    return switch (reason == null ? "" : reason) {
      case "no_time_slot" -> "new_availability";
      case "pricing_unclear" -> "cost_estimate";
      case "insurance" -> "coverage_check";
      case "needs_referral" -> "referral_help";
      case "no_response", "unreachable" -> "callback_window";
      default -> "scheduling_link";
    };
  }

  /** A closed-vocabulary value: trimmed, compared case-insensitively. */
  static String vocab(String v) {
    return v == null ? null : v.trim().toLowerCase(Locale.ROOT);
  }

  /** A code as data-contract.md normalizes it. */
  static String code(String v) {
    return v == null ? null : v.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
  }

  /** A contract timestamp: exact with {@code Z} or an offset, else UTC wall-clock time. */
  static Instant instant(String v) {
    String t =
        v.length() > 10 && v.charAt(10) == ' ' ? v.substring(0, 10) + "T" + v.substring(11) : v;
    return ZONED.matcher(t).matches()
        ? OffsetDateTime.parse(t).toInstant()
        : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
  }

  /**
   * The rows of every data file of an entity folder, in file name order, as column → value (empty
   * values left out): CSV with a header, JSON lines, and FHIR Appointment lines mapped to the
   * contract's columns.
   */
  static List<Map<String, String>> records(Path folder) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files =
          s.filter(f -> !f.getFileName().toString().startsWith("_"))
              .sorted()
              .collect(Collectors.toList());
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      List<String> lines = lines(f);
      if (name.contains(".csv")) {
        List<String> header = csv(lines.get(0).replace("\uFEFF", ""));
        for (String line : lines.subList(1, lines.size())) {
          List<String> v = csv(line);
          Map<String, String> r = new LinkedHashMap<>();
          for (int i = 0; i < header.size(); i++) {
            put(r, header.get(i).toLowerCase(Locale.ROOT), i < v.size() ? v.get(i) : null);
          }
          out.add(r);
        }
      } else {
        for (String line : lines) {
          JsonNode n = JSON.readTree(line);
          out.add("Appointment".equals(n.path("resourceType").asText()) ? fhir(n) : json(n));
        }
      }
    }
    return out;
  }

  private static Map<String, String> json(JsonNode n) {
    Map<String, String> r = new LinkedHashMap<>();
    n.fields()
        .forEachRemaining(
            e -> put(r, e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    return r;
  }

  /** data-contract.md's FHIR mapping, for the columns read here. */
  private static Map<String, String> fhir(JsonNode n) {
    Map<String, String> r = new LinkedHashMap<>();
    put(r, "appointment_id", n.path("id").asText(null));
    put(r, "status", n.path("status").asText(null));
    put(r, "updated_at", n.path("meta").path("lastUpdated").asText(null));
    put(r, "booked_at", n.path("created").asText(r.get("updated_at")));
    put(r, "scheduled_start", n.path("start").asText(null));
    for (JsonNode p : n.path("participant")) {
      String[] path = p.path("actor").path("reference").asText("").split("/");
      if (path.length >= 2 && path[path.length - 2].equals("Patient")) {
        put(r, "person_id", path[path.length - 1]);
        break;
      }
    }
    return r;
  }

  private static void put(Map<String, String> r, String column, String value) {
    if (value != null && !value.trim().isEmpty()) {
      r.put(column, value.trim());
    }
  }

  /** One RFC 4180 record on one line (the generator writes no line breaks inside values). */
  private static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder v = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          v.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          v.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(v.toString());
        v.setLength(0);
      } else {
        v.append(c);
      }
    }
    out.add(v.toString());
    return out;
  }

  static List<String> lines(Path f) throws IOException {
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }
}
