// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.VerificationContext;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Event-log replay against quotes signed here by a test attestation key, for what the recorded
 * quotes cannot show: a quote that also selects a bank Arca cannot hash.
 */
class Tpm2ReplayTest {
  /** TPM_ALG_SM3_256: a PCR bank a TPM may have and Arca cannot compute. */
  private static final int SM3_256 = 0x0012;

  private static final VerificationContext CTX = Tpm2VectorTest.CTX;
  private static final KeyPair AK = rsa2048();

  private final Tpm2Verifier verifier = new Tpm2Verifier();

  private static KeyPair rsa2048() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aQuotedBankTheLogCannotBeReplayedIntoFailsTheReplay() throws Exception {
    // A log with no extending event lacks no bank's digest, so it covers the SM3 bank too; but
    // Arca cannot compute SM3, so replaying that bank fails instead of being skipped.
    byte[] log = new AgileEventLogWriter(TpmAlg.SHA256).bytes();
    List<PcrSelection> sha256AndSm3 =
        List.of(new PcrSelection(TpmAlg.SHA256, List.of(0)), new PcrSelection(SM3_256, List.of()));
    assertThat(ids(quote(sha256AndSm3, log))).containsExactly("tpm2.eventlog.bank-missing");

    // The control: the same quote without the SM3 bank verifies, its sha256 bank replayed.
    Claims c =
        verifier.verify(quote(List.of(new PcrSelection(TpmAlg.SHA256, List.of(0))), log), CTX);
    @SuppressWarnings("unchecked")
    Map<String, Object> replay = (Map<String, Object>) c.raw().get("eventLog");
    assertThat(replay).containsEntry("replayedBanks", List.of("sha256"));
  }

  private List<String> ids(byte[] evidence) {
    try {
      verifier.verify(evidence, CTX);
    } catch (EvidenceException e) {
      return e.ids();
    }
    throw new AssertionError("verified, but should not have");
  }

  /**
   * A bundle: a quote over {@code selections} signed by {@link #AK} (RSASSA/SHA-256), every
   * selected PCR zero, and {@code log}.
   */
  private static byte[] quote(List<PcrSelection> selections, byte[] log) throws Exception {
    Map<String, Map<Integer, byte[]>> pcrs = new java.util.LinkedHashMap<>();
    ByteArrayOutputStream values = new ByteArrayOutputStream();
    ByteArrayOutputStream attest = new ByteArrayOutputStream();
    attest.writeBytes(HexFormat.of().parseHex("ff544347" + "8018" + "0000" + "0000"));
    attest.writeBytes(new byte[8 + 4 + 4 + 1 + 8]); // clockInfo, firmwareVersion
    attest.writeBytes(ByteBuffer.allocate(4).putInt(selections.size()).array());
    for (PcrSelection sel : selections) {
      byte[] bitmap = new byte[3];
      Map<Integer, byte[]> bank = new java.util.TreeMap<>();
      for (int pcr : sel.pcrs()) {
        bitmap[pcr / 8] |= (byte) (1 << (pcr % 8));
        bank.put(pcr, new byte[TpmAlg.digestSize(sel.hashAlg())]);
        values.writeBytes(bank.get(pcr));
      }
      if (!bank.isEmpty()) {
        pcrs.put(sel.bank(), bank); // a bundle names only banks it has values of
      }
      attest.writeBytes(
          ByteBuffer.allocate(3).putShort((short) sel.hashAlg()).put((byte) 3).array());
      attest.writeBytes(bitmap);
    }
    byte[] digest = TpmAlg.hash(TpmAlg.SHA256, values.toByteArray());
    attest.writeBytes(ByteBuffer.allocate(2).putShort((short) digest.length).array());
    attest.writeBytes(digest);

    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(AK.getPrivate());
    rsa.update(attest.toByteArray());
    ByteArrayOutputStream signature = new ByteArrayOutputStream();
    signature.writeBytes(HexFormat.of().parseHex("0014" + "000b" + "0100"));
    signature.writeBytes(rsa.sign());

    // RSA, SHA-256 name, fixedTPM restricted signing key, no policy, RSASSA/SHA-256, 2048 bits.
    ByteArrayOutputStream ak = new ByteArrayOutputStream();
    ak.writeBytes(HexFormat.of().parseHex("0001" + "000b" + "00050472" + "0000"));
    ak.writeBytes(HexFormat.of().parseHex("0010" + "0014000b" + "0800" + "00000000" + "0100"));
    BigInteger n = ((RSAPublicKey) AK.getPublic()).getModulus();
    byte[] raw = n.toByteArray();
    ak.write(raw, raw.length - 256, 256);

    return new Tpm2Bundle(
            attest.toByteArray(),
            signature.toByteArray(),
            ak.toByteArray(),
            pcrs,
            log,
            null,
            List.of())
        .toJson();
  }
}
