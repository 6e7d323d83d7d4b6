// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.CertificateChains;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The AMD roots Arca pins: for each product line the ARK (AMD Root Key, self-signed RSA-4096,
 * RSA-PSS/SHA-384) and the ASK (AMD SEV Key) it signs, loaded once from resources beside this class
 * (copied from AMD's key distribution service via go-sev-guest, see the test vector README). ARKs
 * are trust anchors; ASKs are only intermediates (the chain still has to reach an ARK).
 */
final class AmdRoots {
  private static final Map<Product, X509Certificate> ASK = new EnumMap<>(Product.class);
  private static final Map<Product, X509Certificate> ARK = new EnumMap<>(Product.class);

  static {
    for (Product p : Product.values()) {
      try (InputStream in = AmdRoots.class.getResourceAsStream(p.rootsResource())) {
        if (in == null) {
          throw new IllegalStateException("pinned AMD roots missing: " + p.rootsResource());
        }
        List<X509Certificate> certs = CertificateChains.parse(in.readAllBytes(), "sevsnp.pinned");
        // AMD's cert_chain files list the ASK first, then the ARK.
        ASK.put(p, certs.get(0));
        ARK.put(p, certs.get(1));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (EvidenceException e) {
        throw new IllegalStateException("pinned AMD roots unreadable: " + p.rootsResource(), e);
      }
    }
  }

  private AmdRoots() {}

  /** Every pinned ARK, in product order. */
  static List<X509Certificate> arks() {
    return new ArrayList<>(ARK.values());
  }

  /** Every pinned ASK, in product order. */
  static List<X509Certificate> asks() {
    return new ArrayList<>(ASK.values());
  }

  static X509Certificate ark(Product p) {
    return ARK.get(p);
  }

  static X509Certificate ask(Product p) {
    return ASK.get(p);
  }
}
