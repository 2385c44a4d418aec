package io.leadloop.jobs.ingest;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** A serializable copy of the Hadoop configuration, so executors open files as the driver does. */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, String> entries = new HashMap<>();

  public HadoopConf(Configuration conf) {
    conf.forEach(e -> entries.put(e.getKey(), e.getValue()));
  }

  public Configuration get() {
    Configuration c = new Configuration(false);
    entries.forEach(c::set);
    return c;
  }
}
