// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.lease;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import dev.arca.crypto.hpke.HpkeException;
import dev.arca.crypto.hpke.HpkeKem;
import dev.arca.crypto.hpke.HpkePrivateKey;
import dev.arca.runtime.model.Wipe;
import dev.arca.runtime.state.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The runtime's last attestation answer, kept in the state folder so that a device that reboots
 * while the service cannot be reached serves on, until each grant's {@code offlineUntil}, from what
 * the service last granted it. File {@value #FILE}:
 *
 * <pre>{@code
 * { "format": "arca-offline-lease/v1",
 *   "sealed": base64 (the sealer's blob of: runtime HPKE private key || MAC key),
 *   "attestation": base64 (the service's answer: EAR token and grants, data keys wrapped to the
 *                  runtime key),
 *   "mac": base64 HMAC-SHA256(MAC key, "arca-offline-lease/v1" || attestation) }
 * }</pre>
 *
 * The only secrets, the runtime key (which unwraps the grants' data keys) and the MAC key (which
 * keeps anyone from lengthening a lease in the file), are sealed to the device's measured state
 * ({@link SecretSealer}): another TPM, another boot chain or a modified runtime cannot unseal them,
 * so the grants' keys stay wrapped. They are sealed once per runtime key; each attestation only
 * rewrites the answer and its MAC. Not thread-safe: the runtime calls it from its attestation
 * round.
 */
public final class SealedLease {
  /** The file's name in the state folder. */
  public static final String FILE = "offline-lease.json";

  private static final String FORMAT = "arca-offline-lease/v1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HpkeKem KEM = HpkeKem.DHKEM_X25519_HKDF_SHA256;

  private final Path file;
  private final SecretSealer sealer;
  // The runtime key the current blob seals, the blob, and its MAC key (wiped with the next key).
  private HpkePrivateKey sealedFor;
  private byte[] sealed;
  private byte[] macKey;

  /** The runtime key and the attestation answer a restore gives back. */
  public record Restored(HpkePrivateKey runtimeKey, byte[] attestation) {}

  private SealedLease(Path file, SecretSealer sealer) {
    this.file = file;
    this.sealer = sealer;
  }

  /** The sealed lease of the state folder {@code stateDir}, sealed by {@code sealer}. */
  public static SealedLease in(Path stateDir, SecretSealer sealer) {
    return new SealedLease(stateDir.resolve(FILE), sealer);
  }

  /**
   * Keeps {@code attestation} for a reboot, sealing {@code runtimeKey} (with a fresh MAC key) when
   * it is not the key sealed before.
   *
   * @throws IOException when sealing or writing fails
   */
  public void save(HpkePrivateKey runtimeKey, byte[] attestation) throws IOException {
    if (sealedFor != runtimeKey) {
      byte[] mk = new byte[32];
      RANDOM.nextBytes(mk);
      byte[] secret = secret(runtimeKey, mk);
      try {
        sealed = sealer.seal(secret);
      } finally {
        Wipe.bytes(secret);
      }
      forget();
      macKey = mk;
      sealedFor = runtimeKey;
    }
    ObjectNode n = JSON.createObjectNode();
    Base64.Encoder b64 = Base64.getEncoder();
    n.put("format", FORMAT);
    n.put("sealed", b64.encodeToString(sealed));
    n.put("attestation", b64.encodeToString(attestation));
    n.put("mac", b64.encodeToString(mac(macKey, attestation)));
    StateFiles.replace(file, JSON.writeValueAsBytes(n));
  }

  /**
   * Reads the lease back after a reboot: unseals the runtime key, then checks the answer's MAC.
   * Later {@link #save}s with the returned key reuse its sealed blob.
   *
   * @return empty when there is no lease
   * @throws IOException when it cannot be unsealed (another device, boot chain or runtime: the file
   *     is kept, as the genuine runtime may still boot), or it was altered (the file is deleted)
   */
  public Optional<Restored> restore() throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    byte[] blob;
    byte[] attestation;
    byte[] tag;
    try {
      JsonNode n = JSON.readTree(file.toFile());
      if (!FORMAT.equals(n.path("format").asText())) {
        throw new IllegalArgumentException("not an " + FORMAT + " file");
      }
      Base64.Decoder b64 = Base64.getDecoder();
      blob = b64.decode(n.path("sealed").asText());
      attestation = b64.decode(n.path("attestation").asText());
      tag = b64.decode(n.path("mac").asText());
    } catch (IOException | IllegalArgumentException e) {
      delete();
      throw new IOException(file + " is unreadable (" + e.getMessage() + "); deleted", e);
    }
    byte[] secret = sealer.unseal(blob);
    try {
      if (secret.length != KEM.privateKeyLength() + 32) {
        throw new IOException("the sealed secret has " + secret.length + " bytes");
      }
      byte[] mk = Arrays.copyOfRange(secret, KEM.privateKeyLength(), secret.length);
      if (!MessageDigest.isEqual(mac(mk, attestation), tag)) {
        Wipe.bytes(mk);
        delete();
        throw new IOException(file + " was altered (its MAC does not verify); deleted");
      }
      byte[] scalar = Arrays.copyOf(secret, KEM.privateKeyLength());
      HpkePrivateKey key;
      try {
        key = HpkePrivateKey.of(KEM, scalar, InsecureSecretKeyAccess.get());
      } catch (HpkeException e) {
        throw new IOException("the sealed runtime key is unusable: " + e.getMessage(), e);
      } finally {
        Wipe.bytes(scalar);
      }
      forget();
      sealed = blob;
      macKey = mk;
      sealedFor = key;
      return Optional.of(new Restored(key, attestation));
    } finally {
      Wipe.bytes(secret);
    }
  }

  /** Deletes the lease (refused, every allowance ended, or nothing granted for offline use). */
  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  private void forget() {
    if (macKey != null) {
      Wipe.bytes(macKey);
    }
    macKey = null;
    sealedFor = null;
  }

  private static byte[] secret(HpkePrivateKey runtimeKey, byte[] mk) throws IOException {
    byte[] scalar;
    try {
      scalar = runtimeKey.bytes(InsecureSecretKeyAccess.get());
    } catch (HpkeException e) {
      throw new IOException("the runtime key cannot be sealed: " + e.getMessage(), e);
    }
    byte[] out = new byte[scalar.length + mk.length];
    System.arraycopy(scalar, 0, out, 0, scalar.length);
    System.arraycopy(mk, 0, out, scalar.length, mk.length);
    Wipe.bytes(scalar);
    return out;
  }

  private static byte[] mac(byte[] key, byte[] attestation) throws IOException {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      m.update(FORMAT.getBytes(StandardCharsets.US_ASCII));
      return m.doFinal(attestation);
    } catch (GeneralSecurityException e) {
      throw new IOException("HMAC-SHA256 is unavailable: " + e.getMessage(), e);
    }
  }
}
