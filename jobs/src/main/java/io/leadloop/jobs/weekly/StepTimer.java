package io.leadloop.jobs.weekly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** Times the steps of a run and logs one line per step (rows, seconds). */
public final class StepTimer {
  private static final Logger LOG = Logger.getLogger(StepTimer.class.getName());
  private final List<Map<String, Object>> steps = new ArrayList<>();

  /** Runs a step that returns its row count. */
  public long step(String name, Supplier<Long> body) {
    long t0 = System.nanoTime();
    long rows = body.get();
    double s = (System.nanoTime() - t0) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("seconds", Math.round(s * 1000) / 1000.0);
    m.put("rows", rows);
    steps.add(m);
    LOG.info(String.format("step %s: %d rows, %.2f s", name, rows, s));
    return rows;
  }

  public List<Map<String, Object>> steps() {
    return List.copyOf(steps);
  }
}
