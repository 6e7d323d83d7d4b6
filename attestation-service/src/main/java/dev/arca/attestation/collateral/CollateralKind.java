// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.collateral;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a collateral file is, told from its file name as AMD's key server (KDS) and Intel's PCS name
 * what they serve (the names the verifiers read as collateral), and what it is filed under:
 *
 * <ul>
 *   <li>sev-snp: {@code vcek} ({@code vcek*.der|pem}; key: chip id / reported TCB), {@code ask-ark}
 *       ({@code cert_chain.pem}, {@code ask.pem}, {@code ask_ark*.pem}; key: product), {@code crl}
 *       ({@code crl}, {@code *.crl}; key: the product of its issuer), {@code tcb-baseline} ({@code
 *       snp_tcb_baseline*.json}, Arca's own format: the security team's minimum TCB, see
 *       docs/formats/snp-tcb-baseline.md; key: its product);
 *   <li>tdx: {@code tcb-info} ({@code tcbinfo*.json}, {@code sample_tcbInfo_response}; key: FMSPC),
 *       {@code qe-identity} ({@code qeidentity*.json}, {@code sample_qeIdentity_response}; key:
 *       enclave id), {@code pck-crl} ({@code pckcrl[.der|.pem]}; key: {@code platform} or {@code
 *       processor}), {@code root-crl} ({@code rootcrl[.der|.pem]}; key: {@code root}), {@code
 *       issuer-chain} ({@code tcbinfo_issuer_chain.pem}, {@code qeidentity_issuer_chain.pem},
 *       {@code pckcrl_issuer_chain.pem}; key: what it signs).
 * </ul>
 */
public enum CollateralKind {
  VCEK("sev-snp", "vcek", "vcek[^/]*\\.(der|pem)"),
  ASK_ARK("sev-snp", "ask-ark", "cert_chain\\.pem|ask\\.pem|ask_ark[^/]*\\.pem"),
  AMD_CRL("sev-snp", "crl", "crl|[^/]+\\.crl"),
  TCB_BASELINE("sev-snp", "tcb-baseline", "snp_tcb_baseline[^/]*\\.json"),
  ISSUER_CHAIN("tdx", "issuer-chain", "(tcbinfo|qeidentity|pckcrl)_issuer_chain\\.pem"),
  TCB_INFO("tdx", "tcb-info", "tcbinfo[^/]*\\.json|sample_tcbinfo_response"),
  QE_IDENTITY("tdx", "qe-identity", "qeidentity[^/]*\\.json|sample_qeidentity_response"),
  PCK_CRL("tdx", "pck-crl", "pckcrl(\\.der|\\.pem)?"),
  ROOT_CRL("tdx", "root-crl", "rootcrl(\\.der|\\.pem)?");

  /** The accepted names, for messages. */
  public static final String ACCEPTED =
      "sev-snp: vcek*.der|pem (VCEK), cert_chain.pem, ask.pem or ask_ark*.pem (ASK/ARK),"
          + " crl or *.crl (AMD CRL), snp_tcb_baseline*.json (TCB baseline); tdx: tcbinfo*.json or sample_tcbInfo_response,"
          + " qeidentity*.json or sample_qeIdentity_response, pckcrl[.der|.pem],"
          + " rootcrl[.der|.pem], tcbinfo_issuer_chain.pem, qeidentity_issuer_chain.pem,"
          + " pckcrl_issuer_chain.pem";

  private final String format;
  private final String id;
  private final Pattern names;

  CollateralKind(String format, String id, String names) {
    this.format = format;
    this.id = id;
    this.names = Pattern.compile(names);
  }

  /** The evidence format it serves: {@code sev-snp} or {@code tdx}. */
  public String format() {
    return format;
  }

  /** Its stable id in the API and the database, e.g. {@code tcb-info}. */
  public String id() {
    return id;
  }

  /** The kind of {@code format} a file named {@code name} is, by name (case-insensitive). */
  public static Optional<CollateralKind> byName(String format, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (CollateralKind k : values()) {
      if (k.format.equals(format) && k.names.matcher(lower).matches()) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
