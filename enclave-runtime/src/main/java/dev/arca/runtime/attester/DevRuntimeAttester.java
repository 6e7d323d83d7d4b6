// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.attester;

import dev.arca.evidence.dev.DevAttester;
import dev.arca.evidence.dev.DevVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/**
 * The {@code dev} attester: an Ed25519 key kept in the runtime's state folder signs the report
 * data. It proves only that the runtime holds that key — anyone who can read the file can produce
 * the same evidence — so it is for local use and demos, and default policies refuse it for
 * sensitive data. The key file is created owner-readable only.
 */
public final class DevRuntimeAttester implements Attester {
  private static final String KEY_FILE = "dev-attester.key";
  private final DevAttester attester;
  private final Clock clock;

  private DevRuntimeAttester(DevAttester attester, Clock clock) {
    this.attester = attester;
    this.clock = clock;
  }

  /** Loads the dev key from {@code stateDir}, creating it on first use. */
  public static DevRuntimeAttester open(Path stateDir, Clock clock) throws IOException {
    Files.createDirectories(stateDir);
    Path keyFile = stateDir.resolve(KEY_FILE);
    if (!Files.exists(keyFile)) {
      byte[] seed = new byte[32];
      new SecureRandom().nextBytes(seed);
      Files.createFile(
          keyFile,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(keyFile, seed);
      java.util.Arrays.fill(seed, (byte) 0);
    }
    byte[] seed = Files.readAllBytes(keyFile);
    try {
      return new DevRuntimeAttester(DevAttester.fromPrivateKey(seed), clock);
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
  }

  /** The raw Ed25519 public key to enrol the device with. */
  public byte[] publicKey() {
    return attester.publicKey();
  }

  @Override
  public String format() {
    return "dev";
  }

  @Override
  public String deviceId() {
    return DevVerifier.deviceIdentity(attester.publicKey());
  }

  @Override
  public byte[] evidence(byte[] reportData) {
    return attester.attest(reportData, Map.of(), clock.instant());
  }
}
