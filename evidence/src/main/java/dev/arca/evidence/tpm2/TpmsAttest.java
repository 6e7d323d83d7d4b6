// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed TPMS_ATTEST of a quote (TPM 2.0 Part 2 §10.12.12, type TPM_ST_ATTEST_QUOTE 0x8018 with
 * TPMS_QUOTE_INFO §10.12.4). Immutable; keeps the exact bytes the signature covers.
 *
 * <p>Failure ids: {@code tpm2.attest.bad-magic} (not 0xff544347 TPM_GENERATED_VALUE), {@code
 * tpm2.attest.unsupported-type}, {@code tpm2.attest.truncated}, {@code
 * tpm2.attest.length-too-large} (a TPM2B or list size above its maximum), {@code
 * tpm2.attest.trailing-bytes}.
 */
public final class TpmsAttest {
  /** TPM_GENERATED_VALUE: the TPM made this structure. */
  public static final long MAGIC = 0xff544347L;

  /** TPM_ST_ATTEST_QUOTE. */
  public static final int TYPE_QUOTE = 0x8018;

  /** sizeof(TPMU_NAME) and sizeof(TPMT_HA): the largest TPM2B_NAME and TPM2B_DATA. */
  static final int MAX_NAME = 2 + 64;

  private static final int MAX_BANKS = 16;
  private static final int MAX_SELECT_BYTES = 8;

  private final byte[] encoded;
  private final byte[] qualifiedSigner;
  private final byte[] extraData;
  private final long clock;
  private final long resetCount;
  private final long restartCount;
  private final boolean safe;
  private final long firmwareVersion;
  private final List<PcrSelection> pcrSelections;
  private final byte[] pcrDigest;

  private TpmsAttest(
      byte[] encoded,
      byte[] qualifiedSigner,
      byte[] extraData,
      long clock,
      long resetCount,
      long restartCount,
      boolean safe,
      long firmwareVersion,
      List<PcrSelection> pcrSelections,
      byte[] pcrDigest) {
    this.encoded = encoded;
    this.qualifiedSigner = qualifiedSigner;
    this.extraData = extraData;
    this.clock = clock;
    this.resetCount = resetCount;
    this.restartCount = restartCount;
    this.safe = safe;
    this.firmwareVersion = firmwareVersion;
    this.pcrSelections = List.copyOf(pcrSelections);
    this.pcrDigest = pcrDigest;
  }

  /**
   * Parses a quote's TPMS_ATTEST.
   *
   * @throws EvidenceException with the ids above
   */
  public static TpmsAttest parse(byte[] data) throws EvidenceException {
    byte[] copy = data.clone();
    StructReader r = new StructReader(copy, ByteOrder.BIG_ENDIAN, "tpm2.attest");
    long magic = r.u32();
    if (magic != MAGIC) {
      throw new EvidenceException(
          "tpm2.attest.bad-magic",
          String.format("TPMS_ATTEST magic is 0x%08x, not TPM_GENERATED_VALUE 0xff544347", magic));
    }
    int type = r.u16();
    if (type != TYPE_QUOTE) {
      throw new EvidenceException(
          "tpm2.attest.unsupported-type",
          String.format("TPMS_ATTEST type is 0x%04x; only a quote (0x8018) is accepted", type));
    }
    byte[] signer = r.sized16(MAX_NAME, "qualifiedSigner");
    byte[] extra = r.sized16(MAX_NAME, "extraData");
    long clock = r.u64();
    long reset = r.u32();
    long restart = r.u32();
    int safe = r.u8();
    long firmware = r.u64();
    long banks = r.u32();
    if (banks > MAX_BANKS) {
      throw new EvidenceException(
          "tpm2.attest.length-too-large",
          "the PCR selection lists " + banks + " banks; at most " + MAX_BANKS + " allowed");
    }
    List<PcrSelection> selections = new ArrayList<>();
    for (int i = 0; i < banks; i++) {
      int hash = r.u16();
      int size = r.u8();
      if (size > MAX_SELECT_BYTES) {
        throw new EvidenceException(
            "tpm2.attest.length-too-large",
            "a PCR bitmap says " + size + " bytes; at most " + MAX_SELECT_BYTES + " allowed");
      }
      byte[] bitmap = r.bytes(size);
      List<Integer> pcrs = new ArrayList<>();
      for (int bit = 0; bit < size * 8; bit++) {
        if ((bitmap[bit / 8] & (1 << (bit % 8))) != 0) {
          pcrs.add(bit);
        }
      }
      selections.add(new PcrSelection(hash, pcrs));
    }
    byte[] digest = r.sized16(64, "pcrDigest");
    r.expectEnd("TPMS_ATTEST");
    return new TpmsAttest(
        copy, signer, extra, clock, reset, restart, safe != 0, firmware, selections, digest);
  }

  /** The exact bytes parsed: what the signature covers. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The Name of the AK qualified by its hierarchy (TPM2B_NAME contents). */
  public byte[] qualifiedSigner() {
    return qualifiedSigner.clone();
  }

  /** The caller's qualifying data (nonce) the TPM bound into the quote. */
  public byte[] extraData() {
    return extraData.clone();
  }

  /** Milliseconds the TPM has been powered since its clock was last set. */
  public long clock() {
    return clock;
  }

  /** TPM resets (reboots) since the clock was set. */
  public long resetCount() {
    return resetCount;
  }

  /** TPM restarts (resume from hibernation) since the last reset. */
  public long restartCount() {
    return restartCount;
  }

  /** True when the clock cannot have gone backwards since it was last reported. */
  public boolean safe() {
    return safe;
  }

  /** The vendor-specific firmware version. */
  public long firmwareVersion() {
    return firmwareVersion;
  }

  /** The quoted PCR selection, in the order the digest covers it. */
  public List<PcrSelection> pcrSelections() {
    return pcrSelections;
  }

  /** Digest of the selected PCR values, with the signing scheme's hash. */
  public byte[] pcrDigest() {
    return pcrDigest.clone();
  }
}
