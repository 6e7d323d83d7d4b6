// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.bench;

import dev.arca.devstack.Swtpm;
import dev.arca.evidence.tpm2.Tpm2Bundle;
import dev.arca.tpm.Tpm2Tools;
import dev.arca.tpm.Tpm2Tools.KeyType;
import dev.arca.tpm.Tpm2Tools.SignScheme;
import dev.arca.tpm.TpmObject;
import dev.arca.tpm.TpmQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Regenerates the benchmark's swtpm quote: a fresh software TPM, an ECC P-256 AK under the RSA EK,
 * a SHA-256 quote of PCRs 0-7 with the nonce {@code 00 01 .. 1f}, written as a {@link Tpm2Bundle}
 * to {@code args[0]}. Command in {@code src/test/resources/vectors/tpm-swtpm/README.md}.
 */
public final class SwtpmQuoteFixture {
  /** The nonce the fixture quote binds. */
  public static final byte[] NONCE =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  private SwtpmQuoteFixture() {}

  public static void main(String[] args) throws Exception {
    try (Swtpm tpm = Swtpm.start()) {
      Tpm2Tools t = tpm.tools();
      TpmObject ek = t.createEk(KeyType.RSA);
      TpmObject ak = t.createAk(ek, KeyType.ECC, "sha256", SignScheme.ECDSA);
      TpmQuote q = t.quote(ak, NONCE, "sha256", List.of(0, 1, 2, 3, 4, 5, 6, 7), "sha256");
      Tpm2Bundle b =
          new Tpm2Bundle(
              q.attest(),
              q.signature(),
              q.akPublic(),
              Map.of("sha256", q.pcrs()),
              null,
              null,
              List.of());
      Files.write(Path.of(args[0]), b.toJson());
    }
  }
}
