// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.cose;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cbor.CborException;
import dev.arca.evidence.cbor.CborValue;

/**
 * Turns CBOR and COSE problems into a format's stable failure ids: {@code <format>.cbor.<reason>}
 * (e.g. {@code nitro.cbor.truncated}, {@code psa.cbor.length-too-large}) and {@code
 * <format>.cose.malformed}, {@code <format>.cose.unsupported-algorithm}, {@code
 * <format>.cose.key-mismatch}, {@code <format>.signature.invalid}.
 */
public final class CoseFailures {
  private CoseFailures() {}

  /** The failure for a CBOR problem in {@code format}'s evidence. */
  public static EvidenceException of(String format, CborException e) {
    return new EvidenceException(format + ".cbor." + e.reason().id(), e.getMessage());
  }

  /** The failure for a COSE problem in {@code format}'s evidence. */
  public static EvidenceException of(String format, CoseException e) {
    return new EvidenceException(format + "." + e.reason().id(), e.getMessage());
  }

  /** Decodes a COSE_Sign1 message, failing with {@code format}'s ids. */
  public static CoseSign1 decodeSign1(String format, byte[] bytes, CborDecoder decoder)
      throws EvidenceException {
    try {
      return CoseSign1.decode(bytes, decoder);
    } catch (CborException e) {
      throw of(format, e);
    } catch (CoseException e) {
      throw of(format, e);
    }
  }

  /** Decodes CBOR (e.g. a token's payload), failing with {@code format}'s ids. */
  public static CborValue decode(String format, byte[] bytes, CborDecoder decoder)
      throws EvidenceException {
    try {
      return decoder.decode(bytes);
    } catch (CborException e) {
      throw of(format, e);
    }
  }
}
