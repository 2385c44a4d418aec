package io.leadloop.common.schema;

import java.util.List;
import java.util.Set;

/** The closed vocabularies of the data contract and the status groups of metrics.md. */
public final class Vocabularies {
  private Vocabularies() {}

  public static final List<String> INQUIRY_CHANNELS =
      List.of(
          "web_form",
          "phone",
          "chat",
          "social_message",
          "appointment_request",
          "event_signup",
          "referral_form");
  public static final List<String> AUDIENCES = List.of("patient", "caregiver", "referral_partner");
  public static final List<String> INTENTS =
      List.of(
          "ready_to_schedule",
          "service_fit",
          "insurance_auth",
          "clinical_question",
          "language_support",
          "referral_coordination",
          "not_ready");
  public static final List<String> SCORES = List.of("A", "B", "C", "D", "E");
  public static final List<String> STAGES =
      List.of(
          "new",
          "attempted_contact",
          "contacted",
          "qualified",
          "booked",
          "recycled",
          "closed_lost",
          "not_a_fit");
  public static final List<String> TOUCH_CHANNELS =
      List.of("email", "sms", "phone", "mail", "retargeting", "portal", "chat");
  public static final List<String> DIRECTIONS = List.of("outbound", "inbound");
  public static final List<String> OUTCOMES =
      List.of(
          "sent",
          "delivered",
          "opened",
          "clicked",
          "replied",
          "answered",
          "voicemail",
          "no_answer",
          "bounced",
          "failed",
          "unsubscribed");
  public static final List<String> APPOINTMENT_STATUSES =
      List.of(
          "proposed",
          "pending",
          "booked",
          "arrived",
          "fulfilled",
          "cancelled",
          "noshow",
          "entered-in-error",
          "checked-in",
          "waitlist");

  /** Consent channels, in the contract's order. */
  public static final List<String> CONSENT_CHANNELS = List.of("email", "sms", "phone", "mail");

  public static final List<String> CONSENT_STATUSES = List.of("opt_in", "opt_out");

  /** Statuses that need no {@code scheduled_start}. */
  public static final Set<String> START_OPTIONAL = Set.of("proposed", "cancelled", "waitlist");

  /** metrics.md: qualifying booking statuses. */
  public static final List<String> QUALIFYING =
      List.of("booked", "arrived", "checked-in", "fulfilled", "noshow", "cancelled");

  /** metrics.md: resolved and kept. */
  public static final List<String> KEPT = List.of("arrived", "checked-in", "fulfilled");

  /** metrics.md: resolved and not kept. */
  public static final List<String> NOT_KEPT = List.of("noshow", "cancelled");

  /** Touch outcomes that reach no one. */
  public static final List<String> FAILED_OUTCOMES = List.of("bounced", "failed");

  /** speed_to_lead: channels whose outbound touch is a response. */
  public static final List<String> RESPONSE_CHANNELS =
      List.of("phone", "sms", "email", "chat", "portal");

  public static final List<String> SEGMENTS =
      List.of("missed_appointment", "stalled_lead", "lapsed_care");
}
