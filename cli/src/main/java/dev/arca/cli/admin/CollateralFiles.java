// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which files of a folder are vendor collateral, and for which evidence format, by the names AMD's
 * key server (KDS) and Intel's PCS give them (docs/api.md, "Collateral"), plus the security team's
 * SEV-SNP TCB baseline ({@code snp_tcb_baseline*.json}). The service tells the kind from the same
 * names and checks the content; anything else in the folder (evidence, READMEs, trust anchors such
 * as Intel's root certificate, which is pinned, not uploaded) is skipped.
 */
final class CollateralFiles {
  private static final Pattern SEV_SNP =
      Pattern.compile(
          "vcek[^/]*\\.(der|pem)|cert_chain\\.pem|ask\\.pem|ask_ark[^/]*\\.pem|crl|[^/]+\\.crl"
              + "|snp_tcb_baseline[^/]*\\.json");
  private static final Pattern TDX =
      Pattern.compile(
          "tcbinfo[^/]*\\.json|sample_tcbinfo_response|qeidentity[^/]*\\.json"
              + "|sample_qeidentity_response|pckcrl(\\.der|\\.pem)?|rootcrl(\\.der|\\.pem)?"
              + "|(tcbinfo|qeidentity|pckcrl)_issuer_chain\\.pem");

  private CollateralFiles() {}

  /** The evidence format a file named {@code name} is collateral for, if it is collateral. */
  static Optional<String> formatOf(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (TDX.matcher(lower).matches()) {
      return Optional.of("tdx");
    }
    if (SEV_SNP.matcher(lower).matches()) {
      return Optional.of("sev-snp");
    }
    return Optional.empty();
  }
}
