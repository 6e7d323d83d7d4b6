// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.primitives.UnsignedLong;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How raw claim values become CEL values: every Java integer type becomes an int, nesting is
 * bounded (16 levels of maps, 32 of lists) so a hostile claim set cannot exhaust the stack.
 */
class ClaimValuesTest {
  static Map<String, Object> claims(Map<String, ?> raw) {
    return TestInputs.tpm().claims(raw).build().claims();
  }

  static Object nestedMaps(int levels) {
    Object v = "leaf";
    for (int i = 0; i < levels; i++) {
      v = Map.of("a", v);
    }
    return v;
  }

  static Object nestedLists(int levels) {
    Object v = "leaf";
    for (int i = 0; i < levels; i++) {
      v = List.of(v);
    }
    return v;
  }

  @Test
  void everyIntegerTypeBecomesALong() {
    Map<String, Object> c =
        claims(
            Map.of(
                "i",
                1,
                "s",
                (short) 2,
                "b",
                (byte) 3,
                "l",
                4L,
                "min",
                BigInteger.valueOf(Long.MIN_VALUE)));
    assertThat(c)
        .containsEntry("i", 1L)
        .containsEntry("s", 2L)
        .containsEntry("b", 3L)
        .containsEntry("l", 4L)
        .containsEntry("min", Long.MIN_VALUE);
  }

  @Test
  void aSixtyFourBitIntegerBecomesAUintNotANegativeInt() {
    BigInteger max = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    BigInteger twoTo63 = BigInteger.ONE.shiftLeft(63);
    Map<String, Object> c =
        claims(Map.of("top", max, "half", twoTo63, "long", BigInteger.valueOf(Long.MAX_VALUE)));
    assertThat(c)
        .containsEntry("top", UnsignedLong.MAX_VALUE)
        .containsEntry("half", UnsignedLong.fromLongBits(Long.MIN_VALUE))
        .containsEntry("long", Long.MAX_VALUE);
    assertThatThrownBy(() -> claims(Map.of("big", max.add(BigInteger.ONE))))
        .hasMessageContaining("outside CEL's 64-bit integers");
  }

  @Test
  void mapsNestSixteenLevelsBelowTheClaims() {
    assertThat(claims(Map.of("a", nestedMaps(16)))).containsKey("a");
    assertThatThrownBy(() -> claims(Map.of("a", nestedMaps(17))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 32");
  }

  @Test
  void listsNestThirtyTwoLevels() {
    assertThat(claims(Map.of("l", nestedLists(32)))).containsKey("l");
    assertThatThrownBy(() -> claims(Map.of("l", nestedLists(33))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 32");
  }
}
