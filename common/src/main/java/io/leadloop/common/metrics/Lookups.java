package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Config maps (SLA minutes, follow-up days, offer codes) as Spark lookups. */
public final class Lookups {
  private Lookups() {}

  /**
   * The value {@code map} holds for {@code key}, or null: a map literal built in key order (so the
   * plan is the same on every run) and looked up with {@code element_at}.
   */
  public static Column lookup(Map<String, ?> map, Column key) {
    List<Column> kv = new ArrayList<>();
    new TreeMap<>(map)
        .forEach(
            (k, v) -> {
              kv.add(lit(k));
              kv.add(lit(v));
            });
    return element_at(functions.map(kv.toArray(Column[]::new)), key);
  }
}
