// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.StructReader;
import java.nio.ByteOrder;

/**
 * A parsed TPMT_SIGNATURE (TPM 2.0 Part 2 §11.3.4): RSASSA or RSAPSS (one TPM2B signature) or ECDSA
 * (TPM2B r and s). Immutable.
 *
 * <p>Failure ids: {@code tpm2.signature.unsupported-algorithm}, {@code
 * tpm2.signature.unsupported-hash}, {@code tpm2.signature.truncated}, {@code
 * tpm2.signature.length-too-large}, {@code tpm2.signature.trailing-bytes}.
 */
public final class TpmtSignature {
  private final int sigAlg;
  private final int hashAlg;
  private final byte[] rsaSignature;
  private final byte[] ecdsaR;
  private final byte[] ecdsaS;

  private TpmtSignature(int sigAlg, int hashAlg, byte[] rsa, byte[] r, byte[] s) {
    this.sigAlg = sigAlg;
    this.hashAlg = hashAlg;
    this.rsaSignature = rsa;
    this.ecdsaR = r;
    this.ecdsaS = s;
  }

  /**
   * Parses a TPMT_SIGNATURE.
   *
   * @throws EvidenceException with the ids above
   */
  public static TpmtSignature parse(byte[] data) throws EvidenceException {
    StructReader r = new StructReader(data.clone(), ByteOrder.BIG_ENDIAN, "tpm2.signature");
    int alg = r.u16();
    if (alg != TpmAlg.RSASSA && alg != TpmAlg.RSAPSS && alg != TpmAlg.ECDSA) {
      throw new EvidenceException(
          "tpm2.signature.unsupported-algorithm",
          "signature algorithm " + TpmAlg.name(alg) + " is not RSASSA, RSAPSS or ECDSA");
    }
    int hash = r.u16();
    if (TpmAlg.digestSize(hash) < 0) {
      throw new EvidenceException(
          "tpm2.signature.unsupported-hash",
          "signature hash " + TpmAlg.name(hash) + " is not SHA-1/256/384/512");
    }
    TpmtSignature sig;
    if (alg == TpmAlg.ECDSA) {
      byte[] rr = r.sized16(66, "ECDSA r");
      byte[] ss = r.sized16(66, "ECDSA s");
      sig = new TpmtSignature(alg, hash, null, rr, ss);
    } else {
      sig = new TpmtSignature(alg, hash, r.sized16(512, "RSA signature"), null, null);
    }
    r.expectEnd("TPMT_SIGNATURE");
    return sig;
  }

  /** TPM_ALG_RSASSA, TPM_ALG_RSAPSS or TPM_ALG_ECDSA. */
  public int sigAlg() {
    return sigAlg;
  }

  /** The hash the TPM signed with. */
  public int hashAlg() {
    return hashAlg;
  }

  byte[] rsaSignature() {
    return rsaSignature;
  }

  byte[] ecdsaR() {
    return ecdsaR;
  }

  byte[] ecdsaS() {
    return ecdsaS;
  }

  @Override
  public String toString() {
    return "TpmtSignature[" + TpmAlg.name(sigAlg) + "/" + TpmAlg.name(hashAlg) + "]";
  }
}
