package io.leadloop.common.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineReaderTest {
  static List<RawRecord> read(String text, boolean fhir) {
    List<RawRecord> out = new ArrayList<>();
    new JsonLineReader(
            new BufferedReader(new StringReader(text)),
            "f.jsonl",
            fhir ? new FhirAppointments(Map.of("XR", "imaging")) : null)
        .forEachRemaining(out::add);
    return out;
  }

  @Test
  void scalarsStandForTheirJsonTextAndNullIsMissing() {
    List<RawRecord> r =
        read(
            "{\"Touch_ID\": \"T1\", \"sequence_step\": 3, \"flag\": true, \"lead_id\": null}\n",
            false);
    assertThat(r.get(0).fields())
        .containsEntry("touch_id", "T1")
        .containsEntry("sequence_step", "3")
        .containsEntry("flag", "true")
        .containsEntry("lead_id", null);
    assertThat(r.get(0).line()).isEqualTo(1);
  }

  @Test
  void objectsAndArraysAreValuesThatDoNotParse() {
    List<RawRecord> r = read("{\"person_id\": {\"id\": 1}, \"channel\": [\"sms\"]}", false);
    assertThat(r.get(0).invalidFields()).containsExactlyInAnyOrder("person_id", "channel");
  }

  @Test
  void linesThatAreNotObjectsAreMalformedAndBlankLinesSkipped() {
    List<RawRecord> r = read("\n[1,2]\nnot json\n   \n{\"a\":1}\n42\n", false);
    assertThat(r).extracting(RawRecord::line).containsExactly(2L, 3L, 5L, 6L);
    assertThat(r.get(0).malformed()).isNotNull();
    assertThat(r.get(1).malformed()).isNotNull();
    assertThat(r.get(2).malformed()).isNull();
    assertThat(r.get(3).malformed()).isNotNull();
  }
}
