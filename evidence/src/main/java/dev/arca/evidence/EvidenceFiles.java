// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads trust anchors and collateral from files, for the command line and for configuration.
 *
 * <p>A trust-anchor file holds certificates (PEM or DER; each becomes a trust anchor) or one public
 * key ({@code -----BEGIN PUBLIC KEY-----}, any algorithm; it becomes a trusted key). A directory is
 * read file by file in name order. Collateral is every regular file of a directory, by file name.
 */
public final class EvidenceFiles {
  /** No single trust-anchor or collateral file is larger than this. */
  private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private EvidenceFiles() {}

  /**
   * Adds the anchors and keys in {@code fileOrDir} to {@code context}.
   *
   * @throws IOException when a file cannot be read or holds neither certificates nor a key
   */
  public static void addTrustAnchors(Path fileOrDir, VerificationContext.Builder context)
      throws IOException {
    for (Path f : files(fileOrDir)) {
      byte[] bytes = read(f);
      String text = new String(bytes, StandardCharsets.US_ASCII);
      if (text.contains("-----BEGIN PUBLIC KEY-----")) {
        context.trustedKey(publicKey(text, f));
        continue;
      }
      try {
        for (X509Certificate c : dev.arca.evidence.internal.CertificateChains.parse(bytes, "cli")) {
          context.trustAnchor(c);
        }
      } catch (EvidenceException e) {
        throw new IOException(f + " holds neither certificates nor a PEM public key");
      }
    }
  }

  /**
   * Adds every regular file of {@code dir} as collateral named by its file name.
   *
   * @throws IOException when {@code dir} is not a readable directory
   */
  public static void addCollateral(Path dir, VerificationContext.Builder context)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("collateral must be a folder: " + dir);
    }
    for (Path f : files(dir)) {
      context.collateral(f.getFileName().toString(), read(f));
    }
  }

  /** Parses a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo) of any supported algorithm. */
  public static PublicKey publicKey(String pem, Path source) throws IOException {
    String b64 =
        pem.replaceAll("(?s).*-----BEGIN PUBLIC KEY-----", "")
            .replaceAll("(?s)-----END PUBLIC KEY-----.*", "")
            .replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": the PEM public key is not valid base64");
    }
    for (String alg : List.of("EC", "RSA", "Ed25519")) {
      try {
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(source + ": the public key is not an EC, RSA or Ed25519 key");
  }

  private static List<Path> files(Path fileOrDir) throws IOException {
    if (!Files.exists(fileOrDir)) {
      throw new IOException("no such file or folder: " + fileOrDir);
    }
    if (!Files.isDirectory(fileOrDir)) {
      return List.of(fileOrDir);
    }
    try (Stream<Path> s = Files.list(fileOrDir)) {
      List<Path> out = new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
      return out;
    }
  }

  private static byte[] read(Path f) throws IOException {
    if (Files.size(f) > MAX_FILE_BYTES) {
      throw new IOException(f + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    return Files.readAllBytes(f);
  }
}
