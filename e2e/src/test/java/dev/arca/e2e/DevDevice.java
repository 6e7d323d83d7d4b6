// SPDX-License-Identifier: Apache-2.0
package dev.arca.e2e;

import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkeKeyPair;
import dev.arca.evidence.ReportData;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.service.ServiceClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * A software-attested (dev) device as its runtime is: its key in a state folder, one runtime key
 * for its life, attesting through the runtime's own client for conv2d on synthetic data.
 */
record DevDevice(DevRuntimeAttester attester, byte[] runtimeKey) {
  private static final byte[] LOG = "dev device\n".getBytes(StandardCharsets.UTF_8);

  /**
   * A device with its key in {@code state}, enrolled by the device admin through the CLI.
   *
   * @param service the CLI's service and profile arguments ({@code --service url --as profile})
   */
  static DevDevice enrolled(Cli cli, Path state, String... service) throws Exception {
    DevRuntimeAttester a = DevRuntimeAttester.open(state, Clock.systemUTC());
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "device",
                "enroll",
                "--id",
                a.deviceId(),
                "--public-key",
                Base64.getEncoder().encodeToString(a.publicKey())));
    args.addAll(List.of(service));
    cli.ok(args.toArray(String[]::new));
    return new DevDevice(
        a,
        HpkeKeyPair.generate(HpkeKem.DHKEM_X25519_HKDF_SHA256, new SecureRandom())
            .publicKey()
            .bytes());
  }

  String id() {
    return attester.deviceId();
  }

  /** One attestation with {@code c}, asking for conv2d on synthetic data. */
  ServiceClient.Attestation attest(ServiceClient svc, ServiceClient.Challenge c)
      throws IOException {
    return svc.attest(
        id(),
        "dev",
        attester.evidence(ReportData.ofLog(c.nonce(), runtimeKey, LOG)),
        c,
        runtimeKey,
        null,
        LOG,
        List.of(new ServiceClient.ModelRequest("conv2d", "synthetic")));
  }
}
