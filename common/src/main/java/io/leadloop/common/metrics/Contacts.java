package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.col;

import io.leadloop.common.schema.Vocabularies;
import org.apache.spark.sql.Column;

/**
 * segments.md's contact, defined once for the segment rules (caps, cooldown) and outcomes.md
 * (whether an episode was contacted): an outbound touch on a consent channel ({@code email}, {@code
 * sms}, {@code phone}, {@code mail}) whose outcome is not {@code bounced} or {@code failed}.
 */
public final class Contacts {
  private Contacts() {}

  /** Whether a touches row is a contact. */
  public static Column isContact() {
    return col("direction")
        .equalTo("outbound")
        .and(col("channel").isin(Vocabularies.CONSENT_CHANNELS.toArray()))
        .and(col("outcome").isin(Vocabularies.FAILED_OUTCOMES.toArray()).unary_$bang());
  }
}
