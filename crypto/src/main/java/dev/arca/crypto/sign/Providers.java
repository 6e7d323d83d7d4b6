// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.sign;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JCA provider for signature verification: one private Bouncy Castle instance, used explicitly
 * and never registered globally (so Arca does not change the provider order of the application that
 * embeds it). Chosen by benchmark: BC verifies ECDSA P-256 about 14x and Ed25519 about 8x faster
 * than SunEC on JDK 17 (docs/benchmarks.md, "## crypto").
 */
public final class Providers {
  private static final Provider BC = new BouncyCastleProvider();

  private Providers() {}

  /** The Bouncy Castle provider instance Arca uses for verification. */
  public static Provider bouncyCastle() {
    return BC;
  }
}
