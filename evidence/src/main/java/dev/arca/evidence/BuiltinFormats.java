// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import dev.arca.evidence.android.AndroidKeyVerifier;
import dev.arca.evidence.cca.CcaVerifier;
import dev.arca.evidence.dev.DevVerifier;
import dev.arca.evidence.nitro.NitroVerifier;
import dev.arca.evidence.psa.PsaVerifier;
import dev.arca.evidence.sevsnp.SevSnpVerifier;
import dev.arca.evidence.tdx.TdxVerifier;
import dev.arca.evidence.tpm2.Tpm2Verifier;
import java.util.List;

/**
 * The evidence formats Arca ships. A static list rather than discovery on the class path, so that
 * no jar dropped beside Arca can add or replace a verifier (a security choice). Add a format with
 * one line here.
 */
public final class BuiltinFormats {
  private BuiltinFormats() {}

  /** A registry of every built-in format. */
  public static EvidenceRegistry registry() {
    return new EvidenceRegistry(verifiers());
  }

  /** Every built-in verifier, in a fixed order. */
  public static List<EvidenceVerifier> verifiers() {
    return List.of(
        new DevVerifier(),
        new Tpm2Verifier(),
        new NitroVerifier(),
        new AndroidKeyVerifier(),
        new SevSnpVerifier(),
        new TdxVerifier(),
        new PsaVerifier(),
        new CcaVerifier());
  }
}
