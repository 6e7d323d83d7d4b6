// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8949 appendix A examples and the decoder's strictness and allocation limits. */
class CborDecoderTest {
  private final CborDecoder decoder = CborDecoder.strict();

  private CborValue decode(String hex) throws CborException {
    return decoder.decode(HexFormat.of().parseHex(hex));
  }

  private CborException.Reason failure(String hex) {
    try {
      decode(hex);
    } catch (CborException e) {
      return e.reason();
    }
    throw new AssertionError("decoded " + hex + " but expected a failure");
  }

  @Test
  void decodesRfc8949AppendixAExamples() throws Exception {
    assertThat(decode("00").asLong()).isZero();
    assertThat(decode("1903e8").asLong()).isEqualTo(1000);
    assertThat(decode("1bffffffffffffffff").asInteger())
        .isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(decode("3bffffffffffffffff").asInteger())
        .isEqualTo(new BigInteger("-18446744073709551616"));
    assertThat(decode("3903e7").asLong()).isEqualTo(-1000);
    assertThat(decode("f93c00")).isEqualTo(new CborValue.Float(1.0));
    assertThat(decode("f90001")).isEqualTo(new CborValue.Float(5.9604644775390625E-8));
    assertThat(decode("f9c400")).isEqualTo(new CborValue.Float(-4.0));
    assertThat(decode("fa47c35000")).isEqualTo(new CborValue.Float(100000.0));
    assertThat(decode("fb3ff199999999999a")).isEqualTo(new CborValue.Float(1.1));
    assertThat(decode("f4")).isEqualTo(CborValue.Simple.FALSE);
    assertThat(decode("f6")).isEqualTo(CborValue.Simple.NULL);
    assertThat(decode("f8ff")).isEqualTo(new CborValue.Simple(255));
    assertThat(decode("c11a514b67b0"))
        .isEqualTo(new CborValue.Tag(1, CborValue.Int.of(1363896240)));
    assertThat(decode("4401020304").asBytes()).containsExactly(1, 2, 3, 4);
    assertThat(decode("62c3bc").asText()).isEqualTo("\u00fc");
    assertThat(decode("8301820203820405").asArray()).hasSize(3);
    CborValue map = decode("a26161016162820203");
    assertThat(map.get("a").orElseThrow().asLong()).isEqualTo(1);
    assertThat(map.get("b").orElseThrow().asArray()).hasSize(2);
  }

  @Test
  void deterministicInputReEncodesToTheSameBytes() throws Exception {
    for (String hex :
        List.of(
            "1bffffffffffffffff",
            "3903e7",
            "8301820203820405",
            "a201020304",
            "c11a514b67b0",
            "d28443a10126a04401020304420506")) {
      assertThat(HexFormat.of().formatHex(CborEncoder.encode(decode(hex)))).isEqualTo(hex);
    }
  }

  @Test
  void refusesIndefiniteLengthsReservedValuesAndBreaks() {
    assertThat(failure("5f42010243030405ff")).isEqualTo(CborException.Reason.MALFORMED);
    assertThat(failure("9fff")).isEqualTo(CborException.Reason.MALFORMED);
    assertThat(failure("1c")).isEqualTo(CborException.Reason.MALFORMED);
    assertThat(failure("ff")).isEqualTo(CborException.Reason.MALFORMED);
    assertThat(failure("f818")).isEqualTo(CborException.Reason.MALFORMED);
    assertThat(failure("62c328")).isEqualTo(CborException.Reason.MALFORMED); // not UTF-8
  }

  @Test
  void refusesDuplicateKeysAndTrailingBytes() {
    assertThat(failure("a201020103")).isEqualTo(CborException.Reason.DUPLICATE_KEY);
    assertThat(failure("0000")).isEqualTo(CborException.Reason.TRAILING_BYTES);
  }

  @Test
  void truncatedHeadsAndContainersHaveTheirOwnReason() {
    assertThat(failure("")).isEqualTo(CborException.Reason.TRUNCATED);
    assertThat(failure("19e8")).isEqualTo(CborException.Reason.TRUNCATED);
    assertThat(failure("8301820203")).isEqualTo(CborException.Reason.TRUNCATED);
  }

  @Test
  void lengthFieldsNeverAllocateMoreThanTheInput() {
    // 2^64-1 bytes, 2^31 bytes, 2^32-1 items, 2^63 map entries: each refused before allocation.
    assertThat(failure("5bffffffffffffffff00")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
    assertThat(failure("5a8000000000")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
    assertThat(failure("7a7fffffff")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
    assertThat(failure("9affffffff0102")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
    assertThat(failure("bb800000000000000001")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
    assertThat(failure("a30102")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
    assertThat(failure("4501020304")).isEqualTo(CborException.Reason.LENGTH_TOO_LARGE);
  }

  @Test
  void nestingIsLimited() throws Exception {
    String deep = "81".repeat(CborDecoder.DEFAULT_MAX_DEPTH) + "00";
    assertThat(failure(deep)).isEqualTo(CborException.Reason.TOO_DEEP);
    String ok = "81".repeat(CborDecoder.DEFAULT_MAX_DEPTH - 1) + "00";
    assertThat(decode(ok)).isInstanceOf(CborValue.Array.class);
    assertThat(failure("c6".repeat(20) + "00")).isEqualTo(CborException.Reason.TOO_DEEP);
  }

  @Test
  void typedAccessorsFailWithUnexpectedType() {
    assertThatThrownBy(() -> decode("00").asBytes())
        .isInstanceOfSatisfying(
            CborException.class,
            e -> assertThat(e.reason()).isEqualTo(CborException.Reason.UNEXPECTED_TYPE));
    assertThatThrownBy(() -> decode("1bffffffffffffffff").asLong())
        .isInstanceOf(CborException.class);
  }
}
