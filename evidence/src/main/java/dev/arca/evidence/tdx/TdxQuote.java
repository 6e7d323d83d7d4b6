// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A parsed Intel TDX ECDSA quote, version 4 (TDX 1.0 body) or 5 (body type 2 = TDX 1.0, 3 = TDX
 * 1.5, with an explicit body size). Layout per Intel "TDX DCAP Quoting Library API", appendix A.3
 * (v4) and A.4 (v5): header (48) | [v5: body type u16, body size u32] | body | signature data
 * length u32 | signature data = quote signature (64, r||s) | attestation key (64, x||y) |
 * certification data type 6 (QE report certification data: QE report (384) | its signature (64) |
 * QE auth data (u16 length + bytes) | certification data type 5 (PCK chain, PEM)).
 *
 * <p>Every length is checked against what is left before anything is allocated ({@code
 * tdx.quote.length-too-large}); nested lengths must add up exactly ({@code
 * tdx.quote.length-mismatch}). Bytes after the signature data are not covered by any signature:
 * they are counted in {@link #trailingBytes()} and otherwise ignored (the shared vector has 39 such
 * bytes, appended by its publisher for testing).
 */
public final class TdxQuote {
  static final int HEADER_SIZE = 48;
  static final int ATTESTATION_KEY_ECDSA_P256 = 2;
  static final int TEE_TYPE_TDX = 0x81;
  static final int CERT_TYPE_PCK_CHAIN = 5;
  static final int CERT_TYPE_QE_REPORT = 6;

  /** No real quote's signature data comes near this; larger length fields are refused. */
  static final int MAX_SIGNATURE_DATA = 64 * 1024;

  private static final String PREFIX = "tdx.quote";

  private final int version;
  private final int attestationKeyType;
  private final long teeType;
  private final int qeSvn;
  private final int pceSvn;
  private final byte[] qeVendorId;
  private final int bodyType;
  private final TdReport body;
  private final byte[] signedBytes;
  private final byte[] signature;
  private final byte[] attestationKey;
  private final EnclaveReport qeReport;
  private final byte[] qeReportSignature;
  private final byte[] qeAuthData;
  private final byte[] pckChain;
  private final int trailingBytes;

  private TdxQuote(byte[] q) throws EvidenceException {
    StructReader r = new StructReader(q, ByteOrder.LITTLE_ENDIAN, PREFIX);
    version = r.u16();
    attestationKeyType = r.u16();
    teeType = r.u32();
    qeSvn = r.u16();
    pceSvn = r.u16();
    qeVendorId = r.bytes(16);
    r.skip(20); // user data
    if (version != 4 && version != 5) {
      throw new EvidenceException(
          PREFIX + ".unsupported-version", "quote version " + version + " is not supported (4, 5)");
    }
    if (attestationKeyType != ATTESTATION_KEY_ECDSA_P256) {
      throw new EvidenceException(
          PREFIX + ".unsupported-key-type",
          "attestation key type " + attestationKeyType + " is not ECDSA P-256 (2)");
    }
    if (teeType != TEE_TYPE_TDX) {
      throw new EvidenceException(
          PREFIX + ".not-tdx", "TEE type 0x" + Long.toHexString(teeType) + " is not TDX (0x81)");
    }
    int bodySize;
    if (version == 4) {
      bodyType = 2;
      bodySize = TdReport.SIZE_1_0;
    } else {
      bodyType = r.u16();
      long size = r.u32();
      int expected =
          switch (bodyType) {
            case 2 -> TdReport.SIZE_1_0;
            case 3 -> TdReport.SIZE_1_5;
            default ->
                throw new EvidenceException(
                    PREFIX + ".unsupported-body-type",
                    "quote body type " + bodyType + " is not a TD report (2: TDX 1.0, 3: TDX 1.5)");
          };
      if (size > r.remaining()) {
        throw new EvidenceException(
            PREFIX + ".length-too-large",
            "the body size says " + size + " bytes but only " + r.remaining() + " follow");
      }
      if (size != expected) {
        throw new EvidenceException(
            PREFIX + ".body-size-mismatch",
            "body type " + bodyType + " has " + expected + " bytes, the quote says " + size);
      }
      bodySize = expected;
    }
    body = TdReport.parse(r.bytes(bodySize));
    signedBytes = Arrays.copyOf(q, r.position());

    long sigLength = r.u32();
    if (sigLength > r.remaining() || sigLength > MAX_SIGNATURE_DATA) {
      throw new EvidenceException(
          PREFIX + ".length-too-large",
          "the signature data length says "
              + sigLength
              + " bytes but "
              + r.remaining()
              + " follow");
    }
    int sigEnd = r.position() + (int) sigLength;
    signature = r.bytes(64);
    attestationKey = r.bytes(64);
    int certType = r.u16();
    long certSize = r.u32();
    if (certType != CERT_TYPE_QE_REPORT) {
      throw new EvidenceException(
          PREFIX + ".unsupported-certification-data",
          "certification data type " + certType + " is not QE report certification data (6)");
    }
    checkLength(certSize, sigEnd - r.position(), "QE report certification data");
    qeReport = new EnclaveReport(r.bytes(EnclaveReport.SIZE));
    qeReportSignature = r.bytes(64);
    int authLength = r.u16();
    if (authLength > r.remaining()) {
      throw new EvidenceException(
          PREFIX + ".length-too-large",
          "QE auth data says " + authLength + " bytes but " + r.remaining() + " follow");
    }
    qeAuthData = r.bytes(authLength);
    int innerType = r.u16();
    long innerSize = r.u32();
    if (innerType != CERT_TYPE_PCK_CHAIN) {
      throw new EvidenceException(
          PREFIX + ".unsupported-certification-data",
          "inner certification data type " + innerType + " is not a PCK certificate chain (5)");
    }
    checkLength(innerSize, sigEnd - r.position(), "PCK certificate chain");
    pckChain = r.bytes((int) innerSize);
    trailingBytes = r.remaining();
  }

  private static void checkLength(long stated, int actual, String what) throws EvidenceException {
    if (stated > actual) {
      throw new EvidenceException(
          PREFIX + ".length-too-large",
          what + " says " + stated + " bytes but the signature data holds " + actual);
    }
    if (stated != actual) {
      throw new EvidenceException(
          PREFIX + ".length-mismatch",
          what + " says " + stated + " bytes but " + actual + " remain in the signature data");
    }
  }

  /**
   * Parses a quote.
   *
   * @throws EvidenceException {@code tdx.quote.truncated}, {@code .length-too-large}, {@code
   *     .length-mismatch}, {@code .unsupported-version}, {@code .unsupported-key-type}, {@code
   *     .not-tdx}, {@code .unsupported-body-type}, {@code .body-size-mismatch}, {@code
   *     .unsupported-certification-data}
   */
  public static TdxQuote parse(byte[] quote) throws EvidenceException {
    return new TdxQuote(quote);
  }

  public int version() {
    return version;
  }

  public int attestationKeyType() {
    return attestationKeyType;
  }

  public int qeSvn() {
    return qeSvn;
  }

  public int pceSvn() {
    return pceSvn;
  }

  public byte[] qeVendorId() {
    return qeVendorId.clone();
  }

  /** 2 for a TDX 1.0 body, 3 for TDX 1.5 (v4 quotes are always 2). */
  public int bodyType() {
    return bodyType;
  }

  public TdReport body() {
    return body;
  }

  /** What the attestation key signs: the header and body (with v5's type and size fields). */
  public byte[] signedBytes() {
    return signedBytes.clone();
  }

  /** The quote signature, r||s (32 bytes each, big-endian). */
  public byte[] signature() {
    return signature.clone();
  }

  /** The attestation public key, x||y (32 bytes each). */
  public byte[] attestationKey() {
    return attestationKey.clone();
  }

  public EnclaveReport qeReport() {
    return qeReport;
  }

  public byte[] qeReportSignature() {
    return qeReportSignature.clone();
  }

  public byte[] qeAuthData() {
    return qeAuthData.clone();
  }

  /** The PCK certificate chain as carried (PEM, leaf first). */
  public byte[] pckChain() {
    return pckChain.clone();
  }

  /** Bytes after the signature data (not covered by any signature). */
  public int trailingBytes() {
    return trailingBytes;
  }
}
