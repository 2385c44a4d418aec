package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadloop.common.SparkTestBase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * outcomes.md's draw. The digests were computed with {@code printf 'SALT|EPISODE' | sha256sum}; x /
 * 2^64 from the first 16 hex digits with Python's {@code int(h, 16) / 2**64}.
 */
class HoldoutsTest extends SparkTestBase {
  // leadloop|stalled_lead:L1 -> dd107dbbab75b8a5, x / 2^64 = 0.86353 (outcomes.md's example)
  // leadloop|missed_appointment:A1 -> 51f641b0eb7b675a, 0.32016 (outcomes.md's example)
  // case-3|stalled_lead:L00273 -> 085191f91ce713e0, 0.032495
  // x|e -> 0012c4de31ab3718, 0.000286

  @Test
  void theSpecsExamples() {
    assertThat(Holdouts.draw("leadloop", "stalled_lead:L1"))
        .isEqualTo(new BigInteger("dd107dbbab75b8a5", 16));
    assertThat(Holdouts.isHoldout("leadloop", "stalled_lead:L1", 5000)).isFalse();
    assertThat(Holdouts.draw("leadloop", "missed_appointment:A1"))
        .isEqualTo(new BigInteger("51f641b0eb7b675a", 16));
    assertThat(Holdouts.isHoldout("leadloop", "missed_appointment:A1", 5000)).isTrue();
    assertThat(Holdouts.isHoldout("leadloop", "missed_appointment:A1", 3000)).isFalse();
  }

  @Test
  void theShareIsAStrictUpperBoundInBasisPoints() {
    // 0.032495 lies between 324 and 325 basis points
    assertThat(Holdouts.isHoldout("case-3", "stalled_lead:L00273", 324)).isFalse();
    assertThat(Holdouts.isHoldout("case-3", "stalled_lead:L00273", 325)).isTrue();
    // at the share exactly (x = 2^63 at 0.5) is treatment; one below is holdout
    BigInteger half = BigInteger.ONE.shiftLeft(63);
    assertThat(Holdouts.belowShare(half, 5000)).isFalse();
    assertThat(Holdouts.belowShare(half.subtract(BigInteger.ONE), 5000)).isTrue();
    // share 0 holds out nobody, even the smallest x
    assertThat(Holdouts.isHoldout("x", "e", 0)).isFalse();
    assertThat(Holdouts.belowShare(BigInteger.ZERO, 0)).isFalse();
    assertThat(Holdouts.isHoldout("x", "e", 3)).isTrue();
  }

  @Test
  void aSmallerShareNestsInALargerOne() {
    for (int i = 0; i < 2000; i++) {
      String e = "stalled_lead:L" + i;
      if (Holdouts.isHoldout("nest", e, 1000)) {
        assertThat(Holdouts.isHoldout("nest", e, 2000)).as(e).isTrue();
      }
    }
  }

  @Test
  void basisPointsAreExact() {
    assertThat(Holdouts.basisPoints(new BigDecimal("0.3"))).isEqualTo(3000);
    assertThat(Holdouts.basisPoints(new BigDecimal("0.0001"))).isEqualTo(1);
    assertThat(Holdouts.basisPoints(BigDecimal.valueOf(0.25))).isEqualTo(2500);
  }

  @Test
  void theColumnAgreesWithTheJavaDraw() {
    var rows =
        spark()
            .createDataFrame(
                List.of(
                    new Ep("leadloop", "stalled_lead:L1", 5000),
                    new Ep("leadloop", "missed_appointment:A1", 5000),
                    new Ep("leadloop", "missed_appointment:A1", 3000),
                    new Ep("case-3", "stalled_lead:L00273", 324),
                    new Ep("case-3", "stalled_lead:L00273", 325),
                    new Ep("x", "e", 0)),
                Ep.class);
    List<Row> out =
        rows.select(
                col("salt"),
                col("episode"),
                col("bp"),
                Holdouts.isHoldout("leadloop", col("episode"), col("bp")).as("l"),
                Holdouts.isHoldout("case-3", col("episode"), col("bp")).as("c"),
                Holdouts.isHoldout("x", col("episode"), col("bp")).as("x"))
            .collectAsList();
    List<Boolean> got = new java.util.ArrayList<>();
    for (Row r : out) {
      String salt = r.getString(0);
      got.add(r.getBoolean(salt.equals("leadloop") ? 3 : salt.equals("case-3") ? 4 : 5));
    }
    // the values worked out above, row by row
    assertThat(got).containsExactly(false, true, false, false, true, false);
    String max = "ffffffffffffffff";
    Row edge =
        spark()
            .range(1)
            .select(
                Holdouts.belowShare(
                        org.apache.spark.sql.functions.conv(lit(max), 16, 10), lit(5000))
                    .as("a"),
                Holdouts.belowShare(lit(new BigDecimal(BigInteger.ONE.shiftLeft(63))), lit(5000))
                    .as("b"),
                Holdouts.belowShare(
                        lit(new BigDecimal(BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE))),
                        lit(5000))
                    .as("c"))
            .first();
    assertThat(edge.getBoolean(0)).isFalse();
    assertThat(edge.getBoolean(1)).isFalse();
    assertThat(edge.getBoolean(2)).isTrue();
  }

  /** One row of the column test. */
  public static class Ep implements java.io.Serializable {
    private String salt;
    private String episode;
    private int bp;

    public Ep() {}

    Ep(String salt, String episode, int bp) {
      this.salt = salt;
      this.episode = episode;
      this.bp = bp;
    }

    public String getSalt() {
      return salt;
    }

    public void setSalt(String s) {
      salt = s;
    }

    public String getEpisode() {
      return episode;
    }

    public void setEpisode(String e) {
      episode = e;
    }

    public int getBp() {
      return bp;
    }

    public void setBp(int b) {
      bp = b;
    }
  }
}
