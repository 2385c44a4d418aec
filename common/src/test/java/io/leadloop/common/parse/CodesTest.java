package io.leadloop.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.schema.Vocabularies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodesTest {
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Paid - Search|paid_search",
        " PAID_SEARCH |paid_search",
        "Spring Promo|spring_promo",
        "spring-promo|spring_promo",
        "a  -- b|a_b",
        "Legal Hold|legal_hold",
        "No Time Slot|no_time_slot",
        // locale-independent lower-casing: dotted capital I stays i in every locale
        "IMAGING|imaging"
      })
  void normalizesCodes(String in, String out) {
    assertThat(Codes.normalize(in)).isEqualTo(out);
  }

  @Test
  void unicodeWhiteSpaceSeparatesAndTrims() {
    // the contract's "white space" is not only ASCII: no-break (U+00A0), em (U+2003) and narrow
    // no-break (U+202F) spaces separate words inside a code and are trimmed at the ends
    assertThat(Codes.normalize("No\u00a0Time\u2003Slot")).isEqualTo("no_time_slot");
    assertThat(Codes.normalize("\u00a0Paid\u202f-\u00a0Search\u2003")).isEqualTo("paid_search");
    assertThat(Codes.trimToNull("\u00a0L1\u2007")).isEqualTo("L1");
    assertThat(Codes.trimToNull("\u00a0\u2003")).isNull();
  }

  @Test
  void emptyAfterTrimIsMissing() {
    assertThat(Codes.normalize("   ")).isNull();
    assertThat(Codes.trimToNull("\t ")).isNull();
    assertThat(Codes.trimToNull(" L1 ")).isEqualTo("L1");
  }

  @Test
  void vocabulariesAreCaseInsensitiveAndCanonical() {
    assertThat(Codes.vocab(" Web_Form ", Vocabularies.INQUIRY_CHANNELS)).isEqualTo("web_form");
    assertThat(Codes.vocab("b", Vocabularies.SCORES)).isEqualTo("B");
    assertThat(Codes.vocab("ENTERED-IN-ERROR", Vocabularies.APPOINTMENT_STATUSES))
        .isEqualTo("entered-in-error");
    // vocabulary values are not normalized like codes: a hyphen does not become _
    assertThat(Codes.vocab("web-form", Vocabularies.INQUIRY_CHANNELS)).isNull();
    assertThat(Codes.vocab("fax", Vocabularies.INQUIRY_CHANNELS)).isNull();
  }
}
