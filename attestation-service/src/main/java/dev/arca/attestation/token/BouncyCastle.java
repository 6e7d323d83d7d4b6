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

  /** The registered provider, registering it on first use. */
  static synchronized Provider provider() {
    Provider p = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    if (p == null) {
      p = new BouncyCastleProvider();
      Security.addProvider(p);
    }
    return p;
  }
}
