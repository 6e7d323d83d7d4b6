// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import dev.arca.evidence.EvidenceException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.modes.CFBModeCipher;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * TPM2_MakeCredential in Java (TPM 2.0 Part 1 §24, Part 3 §12.6): wraps a credential so that only
 * the TPM holding the endorsement key {@code ek} can recover it, and only for the object whose Name
 * is {@code objectName} (the attestation key). The service sends the result to the device, whose
 * TPM runs TPM2_ActivateCredential; getting the credential back proves the AK lives in the same TPM
 * as the EK (credential activation at enrolment, as Keylime's registrar does).
 *
 * <ol>
 *   <li>seed: for an RSA EK, random bytes (size of the EK name-alg digest) encrypted with RSA-OAEP
 *       (EK name-alg, label "IDENTITY\0"); for an ECC EK, KDFe over an ephemeral ECDH secret, the
 *       ephemeral point being the encrypted secret (Part 1 §C.6.4);
 *   <li>symmetric key = KDFa(nameAlg, seed, "STORAGE", objectName, "", EK symmetric key bits);
 *       encIdentity = AES-CFB(zero IV, TPM2B credential);
 *   <li>HMAC key = KDFa(nameAlg, seed, "INTEGRITY", "", "", digest bits); integrity =
 *       HMAC(encIdentity || objectName).
 * </ol>
 *
 * The seed and derived keys are wiped before returning.
 */
public final class MakeCredential {
  private MakeCredential() {}

  /**
   * The wrapped credential.
   *
   * @param idObject the contents of TPM2B_ID_OBJECT: TPM2B integrity HMAC, then encIdentity
   * @param encryptedSecret the contents of TPM2B_ENCRYPTED_SECRET: the OAEP ciphertext (RSA) or the
   *     ephemeral TPMS_ECC_POINT (ECC)
   */
  public record Credential(byte[] idObject, byte[] encryptedSecret) {
    public Credential {
      idObject = idObject.clone();
      encryptedSecret = encryptedSecret.clone();
    }

    @Override
    public byte[] idObject() {
      return idObject.clone();
    }

    @Override
    public byte[] encryptedSecret() {
      return encryptedSecret.clone();
    }

    @Override
    public String toString() {
      return "Credential[idObject="
          + idObject.length
          + " B, secret="
          + encryptedSecret.length
          + " B]";
    }
  }

  /**
   * Wraps {@code credential} for the TPM holding {@code ek}, bound to {@code objectName}.
   *
   * @param ek the endorsement key's public area (a restricted decryption key with AES-CFB)
   * @param objectName the Name of the key to activate (nameAlg || digest)
   * @param credential at most as many bytes as the EK name-alg digest
   * @throws InvalidKeyException when the EK is not a usable RSA/ECC storage key or the inputs
   *     exceed TPM sizes
   */
  public static Credential make(
      TpmtPublic ek, byte[] objectName, byte[] credential, SecureRandom random)
      throws GeneralSecurityException {
    int nameAlg = ek.nameAlg();
    int digestSize = TpmAlg.digestSize(nameAlg);
    if (ek.symmetricAlg() != TpmAlg.AES || ek.symmetricMode() != TpmAlg.CFB) {
      throw new InvalidKeyException("the EK's symmetric scheme is not AES-CFB");
    }
    if (credential.length == 0 || credential.length > digestSize) {
      throw new InvalidKeyException(
          "a credential has 1 to " + digestSize + " bytes for this EK, not " + credential.length);
    }
    if (objectName.length < 2 || objectName.length > TpmsAttest.MAX_NAME) {
      throw new InvalidKeyException("the object Name has " + objectName.length + " bytes");
    }
    byte[] seed = null;
    byte[] symKey = null;
    byte[] hmacKey = null;
    byte[] plain = null;
    try {
      byte[] encryptedSecret;
      if (ek.type() == TpmAlg.RSA) {
        seed = new byte[digestSize];
        random.nextBytes(seed);
        encryptedSecret = rsaOaep(ek, seed, random);
      } else {
        byte[][] seedAndPoint = eccSeed(ek, digestSize, random);
        seed = seedAndPoint[0];
        encryptedSecret = seedAndPoint[1];
      }
      symKey = Kdf.kdfa(nameAlg, seed, "STORAGE", objectName, new byte[0], ek.symmetricKeyBits());
      plain =
          ByteBuffer.allocate(2 + credential.length)
              .putShort((short) credential.length)
              .put(credential)
              .array();
      byte[] encIdentity = new byte[plain.length];
      CFBModeCipher cfb = CFBBlockCipher.newInstance(AESEngine.newInstance(), 128);
      cfb.init(true, new ParametersWithIV(new KeyParameter(symKey), new byte[16]));
      cfb.processBytes(plain, 0, plain.length, encIdentity, 0);

      hmacKey = Kdf.kdfa(nameAlg, seed, "INTEGRITY", new byte[0], new byte[0], digestSize * 8);
      HMac hmac = new HMac(TpmAlg.digest(nameAlg));
      hmac.init(new KeyParameter(hmacKey));
      hmac.update(encIdentity, 0, encIdentity.length);
      hmac.update(objectName, 0, objectName.length);
      byte[] integrity = new byte[digestSize];
      hmac.doFinal(integrity, 0);

      byte[] idObject =
          ByteBuffer.allocate(2 + integrity.length + encIdentity.length)
              .putShort((short) integrity.length)
              .put(integrity)
              .put(encIdentity)
              .array();
      return new Credential(idObject, encryptedSecret);
    } catch (EvidenceException e) {
      throw new InvalidKeyException("the EK public area is unusable: " + e.getMessage(), e);
    } finally {
      wipe(seed);
      wipe(symKey);
      wipe(hmacKey);
      wipe(plain);
    }
  }

  private static byte[] rsaOaep(TpmtPublic ek, byte[] seed, SecureRandom random)
      throws EvidenceException, InvalidKeyException {
    OAEPEncoding oaep =
        new OAEPEncoding(
            new RSABlindedEngine(),
            TpmAlg.digest(ek.nameAlg()),
            TpmAlg.digest(ek.nameAlg()),
            Kdf.nulTerminated("IDENTITY"));
    oaep.init(true, new ParametersWithRandom(ek.keyParameters(), random));
    try {
      return oaep.processBlock(seed, 0, seed.length);
    } catch (InvalidCipherTextException e) {
      throw new InvalidKeyException("RSA-OAEP encryption to the EK failed", e);
    }
  }

  /** Returns {seed, TPMS_ECC_POINT of the ephemeral key}. */
  private static byte[][] eccSeed(TpmtPublic ek, int digestSize, SecureRandom random)
      throws EvidenceException {
    ECPublicKeyParameters q = (ECPublicKeyParameters) ek.keyParameters();
    BigInteger n = q.getParameters().getN();
    BigInteger d =
        BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random);
    int fieldBytes = (q.getParameters().getCurve().getFieldSize() + 7) / 8;
    ECPoint ephemeral = q.getParameters().getG().multiply(d).normalize();
    ECPoint shared = q.getQ().multiply(d).normalize();
    byte[] z = BigIntegers.asUnsignedByteArray(fieldBytes, shared.getAffineXCoord().toBigInteger());
    byte[] ex =
        BigIntegers.asUnsignedByteArray(fieldBytes, ephemeral.getAffineXCoord().toBigInteger());
    byte[] ey =
        BigIntegers.asUnsignedByteArray(fieldBytes, ephemeral.getAffineYCoord().toBigInteger());
    byte[] ekX =
        BigIntegers.asUnsignedByteArray(fieldBytes, q.getQ().getAffineXCoord().toBigInteger());
    byte[] seed = Kdf.kdfe(ek.nameAlg(), z, "IDENTITY", ex, ekX, digestSize * 8);
    wipe(z);
    byte[] point =
        ByteBuffer.allocate(4 + 2 * fieldBytes)
            .putShort((short) fieldBytes)
            .put(ex)
            .putShort((short) fieldBytes)
            .put(ey)
            .array();
    return new byte[][] {seed, point};
  }

  private static void wipe(byte[] b) {
    if (b != null) {
      Arrays.fill(b, (byte) 0);
    }
  }
}
