// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Reading a runtime's measurement log: the insecure findings it records, and the PCR value its
 * entries extend to (checked against SHA-256 computed here); a malformed line replays to nothing.
 */
class RuntimeMeasurementsTest {
  static final HexFormat HEX = HexFormat.of();
  static final String D1 = "11".repeat(32);
  static final String D2 = "22".repeat(32);

  static byte[] log(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void insecureFindingsAreTheIdsAfterThePrefix() {
    byte[] l = log(D1 + " runtime.jar\n" + D2 + " insecure:jdwp-agent\n\n" + D2 + " insecure:x\n");
    assertThat(RuntimeMeasurements.insecureFindings(l)).containsExactly("jdwp-agent", "x");
    assertThat(RuntimeMeasurements.insecureFindings(log(D1 + " runtime.jar\n"))).isEmpty();
    assertThat(RuntimeMeasurements.insecureFindings(log(D1 + " not-insecure:x\n"))).isEmpty();
  }

  @Test
  void theReplayExtendsAZeroPcrWithEveryDigestInOrder() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(new byte[32]);
    sha.update(HEX.parseHex(D1));
    byte[] once = sha.digest();
    sha.update(once);
    sha.update(HEX.parseHex(D2));
    byte[] twice = sha.digest();
    assertThat(RuntimeMeasurements.replayedPcr(log(D1 + " a\n" + D2 + " b\n"))).hasValue(twice);
    assertThat(RuntimeMeasurements.replayedPcr(log(""))).hasValue(new byte[32]);
  }

  @Test
  void aLineThatIsNotDigestSpaceNameReplaysToNothing() {
    String[] bad = {D1 + " ", D1 + "x name", "zz" + D1.substring(2) + " name", "ab name"};
    for (String b : bad) {
      assertThat(RuntimeMeasurements.replayedPcr(log(b + "\n"))).as(b).isEmpty();
    }
  }
}
