package io.leadloop.jobs.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** Typed reads of the run summary map (the content of run.json). Missing keys read as empty / 0. */
final class Summaries {
  private Summaries() {}

  /** The nested map under {@code key}, keys in their order; empty when absent. */
  static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    Map<String, Object> out = new LinkedHashMap<>();
    if (v instanceof Map<?, ?> inner) {
      inner.forEach((k, x) -> out.put(String.valueOf(k), x));
    }
    return out;
  }

  /** The number under {@code key}; 0 when absent. */
  static long number(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
