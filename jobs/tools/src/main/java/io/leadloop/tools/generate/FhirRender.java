package io.leadloop.tools.generate;

/**
 * Renders an appointments row (contract column order) as a FHIR R4 {@code Appointment} resource on
 * one line, as a Bulk Data export would: {@code id}, {@code status}, {@code meta.lastUpdated},
 * {@code created}, {@code start}, {@code serviceType}, {@code cancelationReason} and the Patient
 * and Location participants. The row's {@code lead_id} has no FHIR field and is dropped.
 */
final class FhirRender {
  private static final int ID = 0;
  private static final int PERSON = 1;
  private static final int BOOKED_AT = 3;
  private static final int START = 4;
  private static final int STATUS = 5;
  private static final int UPDATED_AT = 6;
  private static final int SERVICE_LINE = 7;
  private static final int LOCATION = 8;
  private static final int CANCEL_REASON = 9;

  private FhirRender() {}

  static void appointment(StringBuilder sb, String[] v, boolean malformed) {
    int begin = sb.length();
    sb.append("{\"resourceType\":\"Appointment\"");
    member(sb, "id", v[ID]);
    member(sb, "status", v[STATUS]);
    // Without created, booked_at would fall back to meta.lastUpdated: a row whose booked_at is
    // deliberately missing leaves out meta too, so that it is rejected as intended.
    if (v[BOOKED_AT] != null && v[UPDATED_AT] != null) {
      sb.append(",\"meta\":{");
      Render.string(sb, "lastUpdated");
      sb.append(':');
      Render.string(sb, v[UPDATED_AT]);
      sb.append('}');
    }
    member(sb, "created", v[BOOKED_AT]);
    member(sb, "start", v[START]);
    coding(sb, "serviceType", v[SERVICE_LINE], true);
    coding(sb, "cancelationReason", v[CANCEL_REASON], false);
    sb.append(",\"participant\":[");
    boolean any = false;
    if (v[PERSON] != null) {
      // Some exports use absolute references; the last two path segments are what counts.
      boolean absolute = (v[ID] == null ? 0 : Math.floorMod(v[ID].hashCode(), 10)) < 3;
      String base = absolute ? "https://ehr.example.org/fhir/Patient/" : "Patient/";
      participant(sb, base + v[PERSON]);
      any = true;
    }
    if (v[LOCATION] != null) {
      if (any) {
        sb.append(',');
      }
      participant(sb, "Location/" + v[LOCATION]);
    }
    sb.append("]}");
    if (malformed) {
      Render.cut(sb, begin);
    }
  }

  private static void member(StringBuilder sb, String name, String value) {
    if (value != null) {
      sb.append(',');
      Render.string(sb, name);
      sb.append(':');
      Render.string(sb, value);
    }
  }

  private static void coding(StringBuilder sb, String name, String code, boolean list) {
    if (code == null) {
      return;
    }
    sb.append(',');
    Render.string(sb, name);
    sb.append(list ? ":[{\"coding\":[{\"code\":" : ":{\"coding\":[{\"code\":");
    Render.string(sb, code);
    sb.append(list ? "}]}]" : "}]}");
  }

  private static void participant(StringBuilder sb, String reference) {
    sb.append("{\"actor\":{\"reference\":");
    Render.string(sb, reference);
    sb.append("},\"status\":\"accepted\"}");
  }
}
