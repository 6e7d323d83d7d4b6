// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tpm2;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * TPM_ALG_ID and TPM_ECC_CURVE values used by Arca (TPM 2.0 Library Part 2 §6.3, §6.4; TCG
 * Algorithm Registry), with digest helpers for the hash algorithms.
 */
public final class TpmAlg {
  public static final int RSA = 0x0001;
  public static final int SHA1 = 0x0004;
  public static final int HMAC = 0x0005;
  public static final int AES = 0x0006;
  public static final int KEYEDHASH = 0x0008;
  public static final int XOR = 0x000A;
  public static final int SHA256 = 0x000B;
  public static final int SHA384 = 0x000C;
  public static final int SHA512 = 0x000D;
  public static final int NULL = 0x0010;
  public static final int RSASSA = 0x0014;
  public static final int RSAES = 0x0015;
  public static final int RSAPSS = 0x0016;
  public static final int OAEP = 0x0017;
  public static final int ECDSA = 0x0018;
  public static final int ECDH = 0x0019;
  public static final int ECDAA = 0x001A;
  public static final int ECC = 0x0023;
  public static final int SYMCIPHER = 0x0025;
  public static final int CFB = 0x0043;

  public static final int ECC_NIST_P256 = 0x0003;
  public static final int ECC_NIST_P384 = 0x0004;
  public static final int ECC_NIST_P521 = 0x0005;

  private TpmAlg() {}

  /** Digest size in bytes of a hash algorithm, or -1 when it is not one Arca supports. */
  public static int digestSize(int alg) {
    return switch (alg) {
      case SHA1 -> 20;
      case SHA256 -> 32;
      case SHA384 -> 48;
      case SHA512 -> 64;
      default -> -1;
    };
  }

  /** The PCR bank name of a hash algorithm ({@code sha1}, {@code sha256}, ...), or hex. */
  public static String hashName(int alg) {
    return switch (alg) {
      case SHA1 -> "sha1";
      case SHA256 -> "sha256";
      case SHA384 -> "sha384";
      case SHA512 -> "sha512";
      default -> String.format("0x%04x", alg);
    };
  }

  /** The hash algorithm of a bank name, or -1. */
  public static int hashByName(String name) {
    return switch (name) {
      case "sha1" -> SHA1;
      case "sha256" -> SHA256;
      case "sha384" -> SHA384;
      case "sha512" -> SHA512;
      default -> -1;
    };
  }

  /** A readable name of any algorithm id. */
  public static String name(int alg) {
    return switch (alg) {
      case RSA -> "rsa";
      case ECC -> "ecc";
      case RSASSA -> "rsassa";
      case RSAPSS -> "rsapss";
      case ECDSA -> "ecdsa";
      case NULL -> "null";
      default -> digestSize(alg) > 0 ? hashName(alg) : String.format("0x%04x", alg);
    };
  }

  /** A fresh Bouncy Castle digest, or null when the algorithm is not a supported hash. */
  static Digest digest(int alg) {
    return switch (alg) {
      case SHA1 -> new SHA1Digest();
      case SHA256 -> new SHA256Digest();
      case SHA384 -> new SHA384Digest();
      case SHA512 -> new SHA512Digest();
      default -> null;
    };
  }

  /** H_alg(parts...). Precondition: {@code alg} is a supported hash. */
  static byte[] hash(int alg, byte[]... parts) {
    Digest d = digest(alg);
    if (d == null) {
      throw new IllegalArgumentException("not a supported hash: " + hashName(alg));
    }
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  /** The JCA/Bouncy Castle curve name of a TPM_ECC_CURVE, or null. */
  static String curveName(int curve) {
    return switch (curve) {
      case ECC_NIST_P256 -> "P-256";
      case ECC_NIST_P384 -> "P-384";
      case ECC_NIST_P521 -> "P-521";
      default -> null;
    };
  }
}
