package io.leadloop.tools.generate;

/** The value tables of the simulation, with skewed weights; {@code ~} is a value left out. */
final class Vocab {
  private Vocab() {}

  static final Weighted SOURCES =
      Weighted.of(
          "paid_search 30, organic_search 25, referral 15, directory 12, social 12, event 6");
  static final Weighted SERVICE_LINES =
      Weighted.of(
          "primary_care 30, imaging 22, orthopedics 18, "
              + "dental 12, behavioral_health 10, cardiology 8");
  static final Weighted INQUIRY_CHANNELS =
      Weighted.of(
          "web_form 35, phone 25, appointment_request 15, chat 10, "
              + "social_message 6, referral_form 5, event_signup 4");
  static final Weighted LOCATIONS =
      Weighted.of("main_campus 36, north 23, south 18, east 13, ~ 10");
  static final Weighted AUDIENCES =
      Weighted.of("patient 62, ~ 25, caregiver 9, referral_partner 4");
  static final Weighted INTENTS =
      Weighted.of(
          "ready_to_schedule 30, service_fit 15, insurance_auth 12, clinical_question 10, "
              + "not_ready 10, referral_coordination 4, language_support 3, ~ 16");
  static final Weighted SCORES = Weighted.of("A 18, B 25, C 25, D 15, E 6, ~ 11");
  static final Weighted LANGUAGES = Weighted.of("en 78, es 15, vi 2, zh 2, ~ 3");

  static final Weighted CAMPAIGNS_PAID =
      Weighted.of("brand_search 30, spring_promo 25, knee_pain_2026 20, ~ 25");
  static final Weighted CAMPAIGNS_SOCIAL = Weighted.of("fb_wellness 40, spring_promo 20, ~ 40");
  static final Weighted CAMPAIGNS_EVENT = Weighted.of("health_fair_2026 80, ~ 20");
  static final Weighted CAMPAIGNS_OTHER = Weighted.of("spring_promo 12, ~ 88");

  static final Weighted STALL_REASONS =
      Weighted.of(
          "no_response 24, unreachable 14, no_time_slot 15, insurance 12, "
              + "pricing_unclear 10, not_ready 10, needs_referral 8, ~ 7");
  static final Weighted CLOSED_REASONS =
      Weighted.of("chose_competitor 30, no_longer_needed 30, cost 15, ~ 25");
  static final Weighted NOT_A_FIT_REASONS =
      Weighted.of("out_of_network 40, service_not_offered 40, ~ 20");
  static final Weighted CANCEL_REASONS =
      Weighted.of(
          "patient_request 35, schedule_conflict 25, provider_unavailable 10, "
              + "transportation 8, cost 7, ~ 15");
  static final Weighted SUPPRESSION_REASONS =
      Weighted.of("patient_request 55, do_not_call 20, legal_hold 13, deceased 12");
  static final Weighted OPT_OUT_SOURCES =
      Weighted.of("preference_center 40, reply_stop 35, call_center 25");

  static final Weighted FIRST_RESPONSE_CHANNELS =
      Weighted.of("phone 45, email 32, sms 20, portal 3");
  static final Weighted KEPT_STATUSES = Weighted.of("fulfilled 78, checked-in 12, arrived 10");

  /** Outcomes of an attempt that did not reach the person, by channel. */
  static Weighted unanswered(String channel) {
    return switch (channel) {
      case "phone" -> PHONE_UNANSWERED;
      case "sms" -> SMS;
      case "email" -> EMAIL;
      case "chat" -> CHAT;
      case "mail" -> MAIL;
      case "retargeting" -> RETARGETING;
      default -> PORTAL;
    };
  }

  private static final Weighted PHONE_UNANSWERED =
      Weighted.of("voicemail 45, no_answer 45, failed 10");
  private static final Weighted SMS =
      Weighted.of("delivered 70, sent 17, failed 8, unsubscribed 2, clicked 3");
  private static final Weighted EMAIL =
      Weighted.of("delivered 38, opened 30, clicked 10, sent 12, bounced 8, unsubscribed 2");
  private static final Weighted CHAT = Weighted.of("delivered 85, failed 15");
  private static final Weighted MAIL = Weighted.of("sent 92, failed 8");
  private static final Weighted RETARGETING = Weighted.of("sent 80, clicked 20");
  private static final Weighted PORTAL = Weighted.of("delivered 50, opened 45, failed 5");

  /** The outcome of an attempt that reached the person. */
  static String reached(String channel) {
    return channel.equals("phone") ? "answered" : "replied";
  }
}
