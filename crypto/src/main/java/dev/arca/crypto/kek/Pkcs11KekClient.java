// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.kek;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * KEKs held in a PKCS#11 token (an HSM; SoftHSM2 in tests) through the JDK's SunPKCS11 provider.
 * Each KEK is an AES-256 key generated inside the token as sensitive and non-extractable: its bytes
 * never leave the token, and this process only asks the token to encrypt and decrypt with it
 * (AES-GCM, a fresh 96-bit IV per call). URIs: {@code pkcs11:object=<label>}, the object attribute
 * of RFC 7512; the token is the one the client was opened on.
 *
 * <p>Ciphertext: {@code 0x01 || IV(12) || AES-GCM(ciphertext || tag(16))}. Thread-safe.
 */
public final class Pkcs11KekClient implements KekClient {
  /** URI prefix handled by this client. */
  public static final String URI_PREFIX = "pkcs11:object=";

  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final byte VERSION = 1;
  private static final int IV_LENGTH = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Provider provider;
  private final KeyStore token;

  private Pkcs11KekClient(Provider provider, KeyStore token) {
    this.provider = provider;
    this.token = token;
  }

  /**
   * Opens the token in slot {@code slotListIndex} of the PKCS#11 {@code library}, logged in with
   * the user PIN read from {@code pinFile} (the file's whole content, a trailing newline ignored).
   *
   * @throws KekException {@code kek.io} when the library, slot or PIN file cannot be used, or the
   *     login fails
   */
  public static Pkcs11KekClient open(Path library, int slotListIndex, Path pinFile)
      throws KekException {
    char[] pin = readPin(pinFile);
    try {
      // Keys this client generates are created sensitive and non-extractable in the token.
      String config =
          "--name=arca-kek\n"
              + "library="
              + library.toAbsolutePath()
              + "\n"
              + "slotListIndex="
              + slotListIndex
              + "\n"
              + "attributes(generate,CKO_SECRET_KEY,CKK_AES) = {\n"
              + "  CKA_SENSITIVE = true\n"
              + "  CKA_EXTRACTABLE = false\n"
              + "}\n";
      Provider p = Security.getProvider("SunPKCS11").configure(config);
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, pin);
      return new Pkcs11KekClient(p, ks);
    } catch (GeneralSecurityException | IOException | ProviderException e) {
      throw new KekException(
          KekException.IO,
          "cannot open PKCS#11 slot "
              + slotListIndex
              + " of "
              + library
              + " with the PIN in "
              + pinFile
              + ": "
              + e.getMessage(),
          e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  private static char[] readPin(Path pinFile) throws KekException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(pinFile);
    } catch (IOException e) {
      throw new KekException(KekException.IO, "cannot read the PKCS#11 PIN file " + pinFile, e);
    }
    int n = bytes.length;
    while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
      n--;
    }
    char[] pin = new char[n];
    for (int i = 0; i < n; i++) {
      pin[i] = (char) (bytes[i] & 0xff);
    }
    Arrays.fill(bytes, (byte) 0);
    return pin;
  }

  @Override
  public boolean doesSupport(String keyUri) {
    return keyUri != null
        && keyUri.startsWith(URI_PREFIX)
        && LABEL.matcher(keyUri.substring(URI_PREFIX.length())).matches();
  }

  @Override
  public KeyEncryptionKey getKek(String keyUri) throws KekException {
    if (!doesSupport(keyUri)) {
      throw new KekException(
          KekException.UNKNOWN_URI, "not a " + URI_PREFIX + "<label> URI: " + keyUri);
    }
    String label = keyUri.substring(URI_PREFIX.length());
    Key key;
    try {
      key = token.getKey(label, null);
    } catch (GeneralSecurityException e) {
      throw new KekException(KekException.IO, "cannot read key " + label + " in the token", e);
    }
    if (!(key instanceof SecretKey secret) || !"AES".equals(key.getAlgorithm())) {
      throw new KekException(
          KekException.UNKNOWN_URI, "the token holds no AES key labelled " + label);
    }
    return new TokenKek(keyUri, secret, provider);
  }

  /**
   * Generates a new AES-256 KEK labelled {@code label} in the token, sensitive and non-extractable.
   *
   * @throws KekException {@code kek.io} if the token refuses, or a key with that label exists
   */
  public KeyEncryptionKey create(String label) throws KekException {
    String uri = URI_PREFIX + label;
    if (!doesSupport(uri)) {
      throw new KekException(KekException.UNKNOWN_URI, "not a valid key label: " + label);
    }
    boolean exists;
    try {
      exists = token.containsAlias(label);
    } catch (GeneralSecurityException e) {
      throw new KekException(KekException.IO, "cannot list the token's keys", e);
    }
    if (exists) {
      throw new KekException(KekException.EXISTS, "the token already holds an object " + label);
    }
    try {
      KeyGenerator g = KeyGenerator.getInstance("AES", provider);
      g.init(256);
      token.setEntry(label, new KeyStore.SecretKeyEntry(g.generateKey()), null);
    } catch (GeneralSecurityException | ProviderException e) {
      throw new KekException(KekException.IO, "the token could not create key " + label, e);
    }
    return getKek(uri);
  }

  /** A KEK in the token: encrypt and decrypt are the token's operations. */
  private static final class TokenKek implements KeyEncryptionKey {
    private final String uri;
    private final SecretKey key;
    private final Provider provider;

    TokenKek(String uri, SecretKey key, Provider provider) {
      this.uri = uri;
      this.key = key;
      this.provider = provider;
    }

    @Override
    public String keyUri() {
      return uri;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws KekException {
      byte[] iv = new byte[IV_LENGTH];
      RANDOM.nextBytes(iv);
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(associatedData == null ? new byte[0] : associatedData);
        byte[] sealed = c.doFinal(plaintext);
        return ByteBuffer.allocate(1 + IV_LENGTH + sealed.length)
            .put(VERSION)
            .put(iv)
            .put(sealed)
            .array();
      } catch (GeneralSecurityException | ProviderException e) {
        throw new KekException(KekException.IO, "the token could not encrypt with " + uri, e);
      }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws KekException {
      if (ciphertext.length < 1 + IV_LENGTH + TAG_BITS / 8 || ciphertext[0] != VERSION) {
        throw new KekException(
            KekException.DECRYPT_FAILED, "not a ciphertext of a PKCS#11 KEK (" + uri + ")");
      }
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 1, IV_LENGTH));
        c.updateAAD(associatedData == null ? new byte[0] : associatedData);
        return c.doFinal(ciphertext, 1 + IV_LENGTH, ciphertext.length - 1 - IV_LENGTH);
      } catch (BadPaddingException e) { // AEADBadTagException: a wrong key, AAD or ciphertext
        throw new KekException(
            KekException.DECRYPT_FAILED,
            "the ciphertext does not open under " + uri + " with this associated data",
            e);
      } catch (GeneralSecurityException | ProviderException e) {
        throw new KekException(KekException.IO, "the token could not decrypt with " + uri, e);
      }
    }

    @Override
    public String toString() {
      return "Pkcs11Kek[" + uri + "]";
    }
  }
}
