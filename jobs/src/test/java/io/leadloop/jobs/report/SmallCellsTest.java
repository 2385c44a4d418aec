package io.leadloop.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small-cell rule, on cases worked out by hand (threshold 11 unless said). */
class SmallCellsTest {
  private final SmallCells rule = new SmallCells(11);

  @Test
  void primaryRuleHidesOneToTenAndShowsZero() {
    assertThat(rule.small(0)).isFalse();
    assertThat(rule.small(1)).isTrue();
    assertThat(rule.small(10)).isTrue();
    assertThat(rule.small(11)).isFalse();
    assertThat(rule.small(250)).isFalse();
    // fractional counts (attribution credit): anything strictly between 0 and 11
    assertThat(rule.small(0.2)).isTrue();
    assertThat(rule.small(10.9)).isTrue();
    assertThat(rule.mask()).isEqualTo("<11");
  }

  @Test
  void thresholdComesFromConfiguration() {
    SmallCells five = new SmallCells(5);
    assertThat(five.mask()).isEqualTo("<5");
    assertThat(five.small(4)).isTrue();
    assertThat(five.small(5)).isFalse();
    assertThatThrownBy(() -> new SmallCells(0)).hasMessageContaining("small_cell_threshold");
  }

  @Test
  void nothingHiddenWhenNoCellIsSmall() {
    assertThat(rule.suppressLine(new double[] {20, 30, 0}, 50))
        .containsExactly(false, false, false, false);
  }

  @Test
  void oneHiddenPartHidesTheNextSmallest() {
    // 20 + 3 + 14 + 30 = 67: with 67 and 20, 14, 30 shown, 3 = 67 - 64. Hide 14 too.
    assertThat(rule.suppressLine(new double[] {20, 3, 14, 30}, 67))
        .containsExactly(false, true, true, false, false);
  }

  @Test
  void twoHiddenPartsNeedNothingMore() {
    // 3 and 5 hidden: only their sum (8) can be worked out.
    assertThat(rule.suppressLine(new double[] {20, 3, 5, 30}, 58))
        .containsExactly(false, true, true, false, false);
  }

  @Test
  void zeroPartsAreNotUsedAsTheComplement() {
    // 0 + 3 + 25 + 40 = 68: hiding the 0 would protect nothing; 25 is hidden instead.
    assertThat(rule.suppressLine(new double[] {0, 3, 25, 40}, 68))
        .containsExactly(false, true, true, false, false);
  }

  @Test
  void tiesHideTheFirstListed() {
    assertThat(rule.suppressLine(new double[] {12, 3, 12}, 27))
        .containsExactly(true, true, false, false);
  }

  @Test
  void smallTotalIsHiddenAndLeavesTwoUnknowns() {
    // 4 + 0 + 0 = 4: the part and the total are both hidden; the zeros reveal nothing.
    assertThat(rule.suppressLine(new double[] {4, 0, 0}, 4))
        .containsExactly(true, false, false, true);
  }

  @Test
  void tableWithRowAndColumnTotals() {
    //            col1  col2 | row total
    //   row1       3    20  |  23
    //   row2      15    25  |  40
    //   col total 18    45  |  63
    // 3 is small. Row 1 then reveals it (23 - 20): hide 20. Column 1 reveals it (18 - 15): hide 15.
    // Column 2 now has one hidden part (20 = 45 - 25): hide 25. All totals stay shown.
    double[] v = {3, 20, 15, 25, 23, 40, 18, 45, 63};
    List<int[]> sums =
        List.of(
            new int[] {4, 0, 1},
            new int[] {5, 2, 3},
            new int[] {6, 0, 2},
            new int[] {7, 1, 3},
            new int[] {8, 4, 5},
            new int[] {8, 6, 7});
    assertThat(rule.suppress(v, sums))
        .containsExactly(true, true, true, true, false, false, false, false, false);
  }

  @Test
  void aTotalHiddenAsComplementIsProtectedInItsOwnSum() {
    // candidates 34 = members 4 + excluded 30; excluded 30 = rule A 12 + rule B 18.
    // members (4) is small -> excluded (30) is hidden as its complement. Excluded is then the only
    // unknown of its own sum (30 = 12 + 18): the smallest rule, 12, is hidden too.
    double[] v = {34, 4, 30, 12, 18};
    List<int[]> sums = List.of(new int[] {0, 1, 2}, new int[] {2, 3, 4});
    assertThat(rule.suppress(v, sums)).containsExactly(false, true, true, true, false);
  }

  @Test
  void complementsCascadeThroughSharedCells() {
    // excluded 15 = rule A 12 + rule B 3; candidates 55 = members 40 + excluded 15.
    // 3 is small -> 12 hidden (its sum); excluded stays shown, so the candidates sum needs nothing.
    double[] v = {15, 12, 3, 55, 40};
    List<int[]> sums = List.of(new int[] {0, 1, 2}, new int[] {3, 4, 0});
    assertThat(rule.suppress(v, sums)).containsExactly(false, true, true, false, false);
  }

  @Test
  void fractionalCreditsFollowTheSameRule() {
    // Attribution: channel credits 20.5 + 3.2 + 15.3 = 39 bookings. 3.2 is small -> 15.3 hidden.
    assertThat(rule.suppressLine(new double[] {20.5, 3.2, 15.3}, 39))
        .containsExactly(false, true, true, false);
  }
}
