// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * How an expected report data binds a fixed-size report data field (SEV-SNP REPORT_DATA, TDX
 * REPORTDATA, both 64 bytes): an attester with less to bind (Arca's runtime binds 32 bytes) writes
 * it into the field's first bytes and zeros the rest, as Linux configfs-tsm's {@code inblob} does.
 * So an expectation shorter than the field is zero-padded to the field's size and the whole field
 * compared; an expectation as long as the field is compared as it is; a longer one never matches.
 * Zero padding means the unused rest is pinned too: evidence cannot carry other bytes there.
 */
public final class PaddedReportData {
  private PaddedReportData() {}

  /**
   * True when {@code field} equals {@code expected} zero-padded to {@code field.length}; false when
   * {@code expected} is longer than the field. Constant time in the field's bytes ({@link
   * MessageDigest#isEqual}).
   */
  public static boolean binds(byte[] field, byte[] expected) {
    if (expected.length > field.length) {
      return false;
    }
    return MessageDigest.isEqual(Arrays.copyOf(expected, field.length), field);
  }

  /** What was compared, for a mismatch message: "all N bytes" or "the first n of N bytes ...". */
  public static String describe(int fieldLength, int expectedLength) {
    if (expectedLength == fieldLength) {
      return "all " + fieldLength + " bytes were compared with the expected report data";
    }
    if (expectedLength > fieldLength) {
      return "the expected report data has "
          + expectedLength
          + " bytes, more than the field's "
          + fieldLength;
    }
    return "the first "
        + expectedLength
        + " bytes were compared with the expected report data and the other "
        + (fieldLength - expectedLength)
        + " with zeros";
  }
}
