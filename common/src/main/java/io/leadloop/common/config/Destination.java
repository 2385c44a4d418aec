package io.leadloop.common.config;

import java.io.Serializable;
import java.util.List;

/**
 * An outreach system that receives segment exports.
 *
 * @param name folder name under {@code <out>/exports/}
 * @param segments segments sent (all when the config omits the key)
 * @param channels recommended channels sent (all when omitted)
 * @param fields member fields sent, in this order; always includes {@code person_id}
 * @param formats {@code csv} and/or {@code jsonl} (default {@code csv})
 */
public record Destination(
    String name,
    List<String> segments,
    List<String> channels,
    List<String> fields,
    List<String> formats)
    implements Serializable {
  public Destination {
    segments = List.copyOf(segments);
    channels = List.copyOf(channels);
    fields = List.copyOf(fields);
    formats = List.copyOf(formats);
  }

  /** Whether the diffs key on segment as well as person (only when the segment is sent). */
  public boolean sendsSegment() {
    return fields.contains("segment");
  }
}
