package io.leadloop.common.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadloop.common.LeadloopException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {
  private static List<RawRecord> read(String text) {
    List<RawRecord> out = new ArrayList<>();
    new CsvRecordReader(new StringReader(text), "f.csv").forEachRemaining(out::add);
    return out;
  }

  @Test
  void headersAreCaseInsensitiveAndValuesKeptAsRead() {
    List<RawRecord> r = read("LEAD_ID, Person_Id ,extra\nL1,P1,x\n");
    assertThat(r).hasSize(1);
    assertThat(r.get(0).fields())
        .containsEntry("lead_id", "L1")
        .containsEntry("person_id", "P1")
        .containsEntry("extra", "x");
    assertThat(r.get(0).line()).isEqualTo(2);
  }

  @Test
  void quotedFieldsMaySpanLinesAndLinesCountPhysically() {
    // record 1 starts on line 2 and spans lines 2-3; record 2 starts on line 4
    List<RawRecord> r = read("a,b\n\"x\ny\",\"has, a comma \"\"and quotes\"\"\"\n2,3\n");
    assertThat(r).extracting(RawRecord::line).containsExactly(2L, 4L);
    assertThat(r.get(0).fields())
        .containsEntry("a", "x\ny")
        .containsEntry("b", "has, a comma \"and quotes\"");
    assertThat(r.get(0).rawText()).isEqualTo("\"x\ny\",\"has, a comma \"\"and quotes\"\"\"");
  }

  @Test
  void blankLinesAreNotRowsAndCrLfWorks() {
    List<RawRecord> r = read("a,b\r\n\r\n1,2\r\n   \r\n3,4");
    assertThat(r).extracting(RawRecord::line).containsExactly(3L, 5L);
    assertThat(r.get(1).fields()).containsEntry("b", "4");
  }

  @Test
  void wrongFieldCountIsMalformed() {
    List<RawRecord> r = read("a,b,c\nT_BROKEN,P1\n1,2,3\n");
    assertThat(r.get(0).malformed()).contains("2 fields");
    assertThat(r.get(0).line()).isEqualTo(2);
    assertThat(r.get(1).malformed()).isNull();
  }

  @Test
  void unterminatedQuoteMakesTheRestOfTheFileOneMalformedRecord() {
    List<RawRecord> r = read("a,b\n1,2\n3,\"oops\n4,5\n6,7\n");
    assertThat(r).hasSize(2);
    assertThat(r.get(1).line()).isEqualTo(3);
    assertThat(r.get(1).malformed()).contains("unterminated quote");
    assertThat(r.get(1).rawText()).isEqualTo("3,\"oops\n4,5\n6,7\n");
  }

  @Test
  void rawTextIsCutAt64KiB() {
    String big = "x".repeat(100_000);
    List<RawRecord> r = read("a,b\n" + big + ",1,extra\n");
    assertThat(r.get(0).rawText()).hasSize(64 * 1024);
    assertThat(r.get(0).malformed()).isNotNull();
  }

  @Test
  void repeatedHeaderColumnStopsTheRun() {
    assertThatThrownBy(() -> read("lead_id,Lead_ID\n1,2\n"))
        .isInstanceOf(LeadloopException.class)
        .hasMessageContaining("f.csv")
        .hasMessageContaining("lead_id");
  }
}
