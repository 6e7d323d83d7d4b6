// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import java.util.Locale;
import java.util.Optional;

/**
 * AMD EPYC product lines whose SEV-SNP roots Arca pins. The product decides which ARK/ASK pair
 * anchors a VCEK and how a TCB_VERSION is laid out (Turin adds an FMC field and moves the others).
 */
public enum Product {
  MILAN("Milan", "ask_ark_milan.pem"),
  GENOA("Genoa", "ask_ark_genoa.pem"),
  TURIN("Turin", "ask_ark_turin_vcek.pem");

  private final String displayName;
  private final String rootsResource;

  Product(String displayName, String rootsResource) {
    this.displayName = displayName;
    this.rootsResource = rootsResource;
  }

  /** The name AMD uses in certificate subjects and product-name extensions, e.g. {@code Milan}. */
  public String displayName() {
    return displayName;
  }

  String rootsResource() {
    return rootsResource;
  }

  /** True for products whose TCB_VERSION carries an FMC SPL (Turin and later). */
  public boolean hasFmc() {
    return this == TURIN;
  }

  /**
   * The product named by a VCEK product-name extension ({@code Milan-B0}) or a certificate common
   * name ({@code SEV-Milan}, {@code SEV-VLEK-Genoa}).
   */
  public static Optional<Product> fromName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (Product p : values()) {
      if (lower.contains(p.displayName.toLowerCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
