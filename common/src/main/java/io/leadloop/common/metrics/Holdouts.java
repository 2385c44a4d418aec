package io.leadloop.common.metrics;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.spark.sql.Column;

/**
 * outcomes.md's assignment draw, defined once for the pipeline (as a Spark column) and for the
 * generator and tests (in plain Java): {@code x} is the first 8 bytes of SHA-256 over {@code salt +
 * "|" + episode_id}, an unsigned big-endian integer, and the episode is held out when {@code x ×
 * 10,000 < s × 2^64}, {@code s} the share in basis points. Exact integers on both sides, so a share
 * nests: an episode held out at 0.1 is held out at 0.2.
 */
public final class Holdouts {
  /** Shares are kept in basis points (share × 10,000), exact. */
  public static final int BASIS = 10_000;

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private Holdouts() {}

  /** The share in basis points; the share has at most 4 decimals (the config checks it). */
  public static int basisPoints(BigDecimal share) {
    return share.movePointRight(4).intValueExact();
  }

  /** {@code x}: the first 8 bytes of SHA-256 over {@code salt|episodeId}, unsigned. */
  public static BigInteger draw(String salt, String episodeId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest((salt + "|" + episodeId).getBytes(StandardCharsets.UTF_8));
      byte[] first = new byte[8];
      System.arraycopy(h, 0, first, 0, 8);
      return new BigInteger(1, first);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean isHoldout(String salt, String episodeId, int shareBasisPoints) {
    return belowShare(draw(salt, episodeId), shareBasisPoints);
  }

  /** {@code x × 10,000 < s × 2^64}. */
  static boolean belowShare(BigInteger x, int shareBasisPoints) {
    return x.multiply(BigInteger.valueOf(BASIS))
            .compareTo(BigInteger.valueOf(shareBasisPoints).multiply(TWO_64))
        < 0;
  }

  /**
   * The same test as a column: {@code conv} reads the 16 hex digits as an unsigned decimal string,
   * and decimal(38,0) holds both products exactly (x × 10,000 < 1.9e23; s × 2^64 < 9.3e22).
   */
  public static Column isHoldout(String salt, Column episodeId, Column shareBasisPoints) {
    Column hex = substring(sha2(concat(lit(salt + "|"), episodeId), 256), 1, 16);
    return belowShare(conv(hex, 16, 10).cast("decimal(38,0)"), shareBasisPoints);
  }

  static Column belowShare(Column x, Column shareBasisPoints) {
    return x.cast("decimal(38,0)")
        .multiply(lit(BASIS))
        .lt(shareBasisPoints.cast("decimal(38,0)").multiply(lit(new BigDecimal(TWO_64))));
  }
}
