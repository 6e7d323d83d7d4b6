// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.token;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle JCA provider, registered once: the token hot path signs ES256 with it because
 * it is several times faster than SunEC on this machine (docs/benchmarks.md, attestation-service).
 */
final class BouncyCastle {
  private BouncyCastle() {}

  private static Provider own;

  /**
   * The provider, registered on first use. A provider registered under the same name by another
   * class loader (a second application start in one JVM, as a test profile does) is not used: its
   * key objects are of classes this code cannot cast to, so this loader keeps an instance of its
   * own.
   */
  static synchronized Provider provider() {
    Provider p = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    if (p == null) {
      p = new BouncyCastleProvider();
      Security.addProvider(p);
    }
    if (p.getClass() == BouncyCastleProvider.class) {
      return p;
    }
    if (own == null) {
      own = new BouncyCastleProvider();
    }
    return own;
  }
}
