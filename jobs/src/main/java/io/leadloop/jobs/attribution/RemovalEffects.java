package io.leadloop.jobs.attribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The first-order Markov chain of metrics.md "markov" and its removal effects, from transition
 * counts. States: {@value #START}, one per channel, and the absorbing {@value #CONVERSION} and
 * {@value #NULL}. The probability {@code P} of being absorbed in {@value #CONVERSION} from {@value
 * #START} solves {@code (I - Q) x = r} over the transient states ({@code Q}: transient to transient
 * probabilities, {@code r}: each state's probability of moving to {@value #CONVERSION}), by LU
 * decomposition in double precision. Removing channel {@code k} sends every transition into {@code
 * k} to {@value #NULL}: {@code k} is then unreachable, so its row and column leave the system and
 * the transitions into it add to no unknown.
 *
 * <p>The system is never singular: every channel of a path is followed by another channel or by an
 * absorbing state, so every transient state reaches absorption with a positive probability.
 *
 * @param conversion {@code P}
 * @param effects {@code RE_k} per channel of the chain, in {@code [0, 1]}
 */
public record RemovalEffects(double conversion, Map<String, Double> effects) {
  public static final String START = "start";
  public static final String CONVERSION = "conversion";
  public static final String NULL = "null";

  /** The chain of {@code counts} (origin → destination → transitions) and its removal effects. */
  public static RemovalEffects of(Map<String, Map<String, Long>> counts) {
    TreeSet<String> channels = new TreeSet<>();
    counts.forEach(
        (from, tos) -> {
          channels.add(from);
          channels.addAll(tos.keySet());
        });
    channels.removeAll(List.of(START, CONVERSION, NULL));
    double p = absorption(counts, channels, null);
    Map<String, Double> effects = new TreeMap<>();
    for (String k : channels) {
      double re = p > 0 ? 1 - absorption(counts, channels, k) / p : 0;
      // 1 - P_k / P can leave [0, 1] only by rounding noise.
      effects.put(k, Math.min(1, Math.max(0, re)));
    }
    return new RemovalEffects(p, effects);
  }

  /** {@code P} with {@code removed} (null: none) removed from the chain. */
  static double absorption(
      Map<String, Map<String, Long>> counts, TreeSet<String> channels, String removed) {
    if (!counts.containsKey(START)) {
      return 0;
    }
    List<String> states = new ArrayList<>();
    states.add(START);
    channels.stream().filter(k -> !k.equals(removed)).forEach(states::add);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < states.size(); i++) {
      index.put(states.get(i), i);
    }
    int n = states.size();
    RealMatrix a = new Array2DRowRealMatrix(n, n);
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      a.setEntry(i, i, 1);
      Map<String, Long> tos = counts.getOrDefault(states.get(i), Map.of());
      double total = tos.values().stream().mapToLong(Long::longValue).sum();
      for (var t : tos.entrySet()) {
        double q = t.getValue() / total;
        Integer j = index.get(t.getKey());
        if (t.getKey().equals(CONVERSION)) {
          r[i] += q;
        } else if (j != null) {
          a.addToEntry(i, j, -q);
        } // else NULL, or the removed channel (sent to NULL): absorbed without conversion
      }
    }
    return new LUDecomposition(a).getSolver().solve(new ArrayRealVector(r)).getEntry(0);
  }
}
