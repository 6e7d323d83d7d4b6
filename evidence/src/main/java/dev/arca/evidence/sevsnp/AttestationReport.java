// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A parsed SEV-SNP ATTESTATION_REPORT (AMD SEV-SNP ABI specification, table "ATTESTATION_REPORT
 * Structure"), versions 2 and later. The report is a fixed 1184 bytes; integers are little-endian.
 * Fields a version does not define (CPUID family/model/stepping before version 3, the mitigation
 * vectors before version 5) are -1. Immutable; byte arrays are copied on access.
 *
 * <p>The report has no length fields: a shorter input fails with {@code sevsnp.report.truncated}, a
 * longer one with {@code sevsnp.report.too-long}.
 */
public final class AttestationReport {
  /** Size of the whole report, signature included. */
  public static final int SIZE = 0x4A0;

  /** The signature covers bytes 0x000 to 0x29F. */
  public static final int SIGNED_LENGTH = 0x2A0;

  /** r and s are each stored in 72 little-endian bytes. */
  static final int SIGNATURE_COMPONENT_LENGTH = 72;

  /** SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384. */
  public static final int ECDSA_P384_SHA384 = 1;

  /** SIGNING_KEY values (bits 4:2 of the key-info word). */
  public static final int SIGNING_KEY_VCEK = 0;

  public static final int SIGNING_KEY_VLEK = 1;
  public static final int SIGNING_KEY_NONE = 7;

  private static final String PREFIX = "sevsnp.report";

  private final byte[] bytes;
  private final int version;
  private final long guestSvn;
  private final long policy;
  private final long vmpl;
  private final long signatureAlgorithm;
  private final long currentTcb;
  private final long platformInfo;
  private final long keyInfo;
  private final long reportedTcb;
  private final int cpuidFamily;
  private final int cpuidModel;
  private final int cpuidStepping;
  private final long committedTcb;
  private final int[] currentVersion;
  private final int[] committedVersion;
  private final long launchTcb;
  private final long launchMitVector;
  private final long currentMitVector;

  private AttestationReport(byte[] bytes) throws EvidenceException {
    this.bytes = bytes;
    StructReader r = new StructReader(bytes, ByteOrder.LITTLE_ENDIAN, PREFIX);
    version = (int) r.u32();
    guestSvn = r.u32();
    policy = r.u64();
    r.seek(0x30);
    vmpl = r.u32();
    signatureAlgorithm = r.u32();
    currentTcb = r.u64();
    platformInfo = r.u64();
    keyInfo = r.u32();
    r.seek(0x180);
    reportedTcb = r.u64();
    int fam = r.u8();
    int mod = r.u8();
    int step = r.u8();
    boolean hasCpuid = version >= 3;
    cpuidFamily = hasCpuid ? fam : -1;
    cpuidModel = hasCpuid ? mod : -1;
    cpuidStepping = hasCpuid ? step : -1;
    r.seek(0x1E0);
    committedTcb = r.u64();
    currentVersion = new int[] {r.u8(), r.u8(), r.u8()};
    r.skip(1);
    committedVersion = new int[] {r.u8(), r.u8(), r.u8()};
    r.skip(1);
    launchTcb = r.u64();
    long launchMit = r.u64();
    long currentMit = r.u64();
    launchMitVector = version >= 5 ? launchMit : -1;
    currentMitVector = version >= 5 ? currentMit : -1;
  }

  /**
   * Parses a report.
   *
   * @throws EvidenceException {@code sevsnp.report.truncated}, {@code sevsnp.report.too-long},
   *     {@code sevsnp.report.unsupported-version} (below 2), {@code
   *     sevsnp.report.unsupported-signature-algorithm}
   */
  public static AttestationReport parse(byte[] evidence) throws EvidenceException {
    if (evidence.length < SIZE) {
      throw new EvidenceException(
          PREFIX + ".truncated",
          "an SEV-SNP report has " + SIZE + " bytes; this one has " + evidence.length);
    }
    if (evidence.length > SIZE) {
      throw new EvidenceException(
          PREFIX + ".too-long",
          "an SEV-SNP report has "
              + SIZE
              + " bytes; this one has "
              + evidence.length
              + " (pass the report alone; the VCEK goes in --collateral)");
    }
    AttestationReport report = new AttestationReport(evidence.clone());
    if (report.version < 2) {
      throw new EvidenceException(
          PREFIX + ".unsupported-version",
          "report version " + Integer.toUnsignedString(report.version) + " is not supported (2+)");
    }
    if (report.signatureAlgorithm != ECDSA_P384_SHA384) {
      throw new EvidenceException(
          PREFIX + ".unsupported-signature-algorithm",
          "signature algorithm "
              + report.signatureAlgorithm
              + " is not ECDSA P-384 with SHA-384 (1)");
    }
    return report;
  }

  private byte[] slice(int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  /** The whole report. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Bytes 0x000..0x29F, which the signature covers. */
  public byte[] signedBytes() {
    return slice(0, SIGNED_LENGTH);
  }

  /** Signature r, from its 72 little-endian bytes at 0x2A0. */
  public BigInteger signatureR() {
    return littleEndian(slice(SIGNED_LENGTH, SIGNATURE_COMPONENT_LENGTH));
  }

  /** Signature s, from its 72 little-endian bytes at 0x2E8. */
  public BigInteger signatureS() {
    return littleEndian(slice(SIGNED_LENGTH + SIGNATURE_COMPONENT_LENGTH, 72));
  }

  /** True when the reserved tail of the signature field (0x330..0x49F) is all zero, as required. */
  public boolean signatureReservedIsZero() {
    int nonZero = 0;
    for (int i = SIGNED_LENGTH + 2 * SIGNATURE_COMPONENT_LENGTH; i < SIZE; i++) {
      nonZero |= bytes[i];
    }
    return nonZero == 0;
  }

  private static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  public int version() {
    return version;
  }

  public long guestSvn() {
    return guestSvn;
  }

  public GuestPolicy policy() {
    return new GuestPolicy(policy);
  }

  public byte[] familyId() {
    return slice(0x10, 16);
  }

  public byte[] imageId() {
    return slice(0x20, 16);
  }

  public long vmpl() {
    return vmpl;
  }

  public long signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** CURRENT_TCB, raw. */
  public long currentTcb() {
    return currentTcb;
  }

  /** PLATFORM_INFO, raw. */
  public long platformInfo() {
    return platformInfo;
  }

  /** AUTHOR_KEY_EN: the author key digest is present. */
  public boolean authorKeyEnabled() {
    return (keyInfo & 1) != 0;
  }

  /** MASK_CHIP_KEY: the firmware hid the chip id (it reads as zeros). */
  public boolean maskChipKey() {
    return (keyInfo & 2) != 0;
  }

  /**
   * SIGNING_KEY: {@link #SIGNING_KEY_VCEK}, {@link #SIGNING_KEY_VLEK} or {@link #SIGNING_KEY_NONE}.
   */
  public int signingKey() {
    return (int) ((keyInfo >>> 2) & 7);
  }

  /** The 64 bytes the guest asked to bind (REPORT_DATA). */
  public byte[] reportData() {
    return slice(0x50, 64);
  }

  /** MEASUREMENT: the launch digest of the guest (SHA-384). */
  public byte[] measurement() {
    return slice(0x90, 48);
  }

  public byte[] hostData() {
    return slice(0xC0, 32);
  }

  public byte[] idKeyDigest() {
    return slice(0xE0, 48);
  }

  public byte[] authorKeyDigest() {
    return slice(0x110, 48);
  }

  public byte[] reportId() {
    return slice(0x140, 32);
  }

  public byte[] reportIdMa() {
    return slice(0x160, 32);
  }

  /** REPORTED_TCB, raw: the TCB the VCEK that signs this report was derived from. */
  public long reportedTcb() {
    return reportedTcb;
  }

  /** CPUID family id (version 3+), else -1. */
  public int cpuidFamily() {
    return cpuidFamily;
  }

  public int cpuidModel() {
    return cpuidModel;
  }

  public int cpuidStepping() {
    return cpuidStepping;
  }

  /** CHIP_ID: the unique id of the processor (zeros when {@link #maskChipKey()}). */
  public byte[] chipId() {
    return slice(0x1A0, 64);
  }

  public long committedTcb() {
    return committedTcb;
  }

  /** Firmware CURRENT build, minor, major. */
  public int[] currentVersion() {
    return currentVersion.clone();
  }

  /** Firmware COMMITTED build, minor, major. */
  public int[] committedVersion() {
    return committedVersion.clone();
  }

  public long launchTcb() {
    return launchTcb;
  }

  /** LAUNCH_MIT_VECTOR (version 5+), else -1. */
  public long launchMitVector() {
    return launchMitVector;
  }

  /** CURRENT_MIT_VECTOR (version 5+), else -1. */
  public long currentMitVector() {
    return currentMitVector;
  }

  @Override
  public String toString() {
    return "AttestationReport[version=" + version + "]";
  }
}
