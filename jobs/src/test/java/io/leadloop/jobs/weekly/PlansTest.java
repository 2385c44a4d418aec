package io.leadloop.jobs.weekly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A backfill's Sundays packed into plans by the lead-weeks each holds ({@link Plans#pack}). */
class PlansTest {
  private static final List<String> SUNDAYS = List.of("w1", "w2", "w3", "w4", "w5");

  @Test
  void aPlanTakesSundaysInOrderWhileTheirLeadsFitTheBudget() {
    // 1 + 2 + 3 = 6 fits a budget of 6; 6 + 4 does not, nor 4 + 5.
    assertThat(Plans.pack(SUNDAYS, new long[] {1, 2, 3, 4, 5}, 6))
        .containsExactly(List.of("w1", "w2", "w3"), List.of("w4"), List.of("w5"));
  }

  @Test
  void aSundayAboveTheBudgetIsAPlanOfItsOwn() {
    // w2 alone exceeds the budget; w3 + w4 = 5 fit again.
    assertThat(Plans.pack(SUNDAYS, new long[] {2, 9, 2, 3, 4}, 5))
        .containsExactly(List.of("w1"), List.of("w2"), List.of("w3", "w4"), List.of("w5"));
  }

  @Test
  void everySundayFitsOnePlanWhenTheBudgetAllows() {
    assertThat(Plans.pack(SUNDAYS, new long[] {1, 1, 1, 1, 1}, 5)).containsExactly(SUNDAYS);
    // A budget of one lead-week: one Sunday per plan (as BackfillSlicesTest sets it).
    assertThat(Plans.pack(SUNDAYS, new long[] {3, 3, 3, 3, 3}, 1)).hasSize(5);
  }
}
