// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import dev.arca.evidence.tpm2.Tpm2Bundle;
import dev.arca.runtime.lease.SecretSealer;
import dev.arca.runtime.update.VersionCounter;
import dev.arca.tpm.DeviceKeys;
import dev.arca.tpm.TpmEnroller;
import dev.arca.tpm.TpmQuote;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tpm2} attester: a TPM 2.0 quote, made by the device's attestation key, over the boot
 * PCRs and the runtime's application PCR, with qualifying data = the report data. The service
 * verifies it with {@code dev.arca.evidence.tpm2.Tpm2Verifier}; it is {@code hardwareRooted} once
 * the AK is enrolled (EK certificate chain + credential activation, see {@link #enroller}).
 *
 * <p>Application PCR: {@value #APP_PCR} (SHA-256 bank). The TCG PC Client profile reserves PCR 23
 * for application support and lets locality 0 reset it, and neither firmware nor the kernel's IMA
 * extends it. The runtime resets it when it opens the TPM and then extends every measurement-log
 * entry into it in order, so its quoted value is exactly the replay of the log sent with the
 * evidence: {@code PCR23 = H(...H(H(0^32 || e1) || e2)... || en)}. Because any local process with
 * TPM access can also reset PCR 23, it records what the runtime measured rather than proving the
 * boot chain; that proof comes from PCRs 0-7 (firmware, boot loader), which are quoted too and are
 * appraised against reference values.
 *
 * <p>TPM access is through tpm2-tools ({@link TpmSession}); {@code --tpm} takes {@code /dev/tpmrm0}
 * (the kernel resource manager) or {@code swtpm:<host>:<port>}. The AK's TPM-wrapped blobs live in
 * the state directory ({@link DeviceKeys}); no secret does. tpm2-tools' work files go to the
 * session's private directory, deleted by {@link #close()}.
 */
public final class Tpm2RuntimeAttester implements Attester, AutoCloseable {
  /** The application PCR the measurement log is extended into. */
  public static final int APP_PCR = 23;

  /** The PCR bank quoted and extended. */
  public static final String BANK = "sha256";

  /** Quoted PCRs: firmware and boot (0-7) and the application PCR. */
  public static final List<Integer> QUOTED_PCRS = List.of(0, 1, 2, 3, 4, 5, 6, 7, APP_PCR);

  private final TpmSession session;
  private final DeviceKeys keys;
  private final String deviceId;

  private Tpm2RuntimeAttester(TpmSession session, DeviceKeys keys, String deviceId) {
    this.session = session;
    this.keys = keys;
    this.deviceId = deviceId;
  }

  /**
   * Opens the TPM named by {@code tpm}, loads (or creates) the AK from {@code stateDir}, and resets
   * the application PCR.
   *
   * @param tpm {@code /dev/tpmrm0} (any device path) or {@code swtpm:<host>:<port>}
   * @param deviceId the id the device is enrolled under, or null for its identity {@code
   *     tpm2:ak:<AK Name>}
   * @throws IllegalArgumentException when {@code tpm} has neither form
   * @throws IOException when the TPM cannot be reached, refuses the AK blobs, or does not let PCR
   *     23 be reset
   */
  public static Tpm2RuntimeAttester open(String tpm, Path stateDir, String deviceId)
      throws IOException {
    TpmSession session = TpmSession.open(tpm);
    try {
      DeviceKeys keys = DeviceKeys.open(session.tools(), stateDir);
      session.tools().pcrReset(APP_PCR);
      String id = deviceId != null ? deviceId : "tpm2:ak:" + keys.ak().nameHex();
      return new Tpm2RuntimeAttester(session, keys, id);
    } catch (IOException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  /** The tpm2-tools TCTI for a {@code --tpm} value ({@link TpmSession#tcti(String)}). */
  public static String tcti(String tpm) {
    return TpmSession.tcti(tpm);
  }

  /** The enroller for this device (its enrolment request and credential activation). */
  public TpmEnroller enroller(List<byte[]> ekIntermediates) {
    return new TpmEnroller(keys, ekIntermediates);
  }

  /** The device's EK and AK. */
  public DeviceKeys keys() {
    return keys;
  }

  @Override
  public String format() {
    return "tpm2";
  }

  @Override
  public String deviceId() {
    return deviceId;
  }

  /** Extends one measurement (a SHA-256 digest) into PCR {@value #APP_PCR}. */
  @Override
  public void extend(byte[] sha256) throws IOException {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("a measurement is a 32-byte SHA-256 digest");
    }
    keys.tools().pcrExtend(APP_PCR, BANK, sha256);
  }

  /** Extends measurements into PCR {@value #APP_PCR} in order, many per TPM tool run. */
  @Override
  public void extendAll(List<byte[]> sha256s) throws IOException {
    for (byte[] m : sha256s) {
      if (m.length != 32) {
        throw new IllegalArgumentException("a measurement is a 32-byte SHA-256 digest");
      }
    }
    keys.tools().pcrExtendAll(APP_PCR, BANK, sha256s);
  }

  /**
   * A {@link Tpm2Bundle} (JSON) of a quote over {@link #QUOTED_PCRS} binding {@code reportData}.
   */
  @Override
  public byte[] evidence(byte[] reportData) throws IOException {
    TpmQuote q = keys.tools().quote(keys.ak(), reportData, BANK, QUOTED_PCRS, "sha256");
    return new Tpm2Bundle(
            q.attest(), q.signature(), q.akPublic(), Map.of(BANK, q.pcrs()), null, null, List.of())
        .toJson();
  }

  /** Seals to PCRs 0-7 and 23 as they stand ({@link TpmSealer}). */
  @Override
  public Optional<SecretSealer> sealer() {
    return Optional.of(new TpmSealer(keys.tools()));
  }

  /** Version floors in NV counters ({@link TpmVersionCounter}). */
  @Override
  public Optional<VersionCounter> versionCounter() {
    return Optional.of(new TpmVersionCounter(keys.tools()));
  }

  /** Deletes the tpm2-tools work directory. The AK blobs stay in the state directory. */
  @Override
  public void close() {
    session.close();
  }

  @Override
  public String toString() {
    return "Tpm2RuntimeAttester[" + keys.tools().tcti() + ", " + deviceId + "]";
  }
}
