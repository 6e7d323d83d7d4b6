// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The shared Android vectors (see src/test/resources/vectors/android/README.md). */
final class AndroidVectors {
  /** The time the TEE chain is verified at: inside every certificate's validity. */
  static final Instant VECTOR_TIME = Instant.parse("2020-01-01T00:00:00Z");

  /** The challenge the vectors were made with. */
  static final byte[] CHALLENGE = {'a', 'b', 'c'};

  private AndroidVectors() {}

  static Path dir(String name) {
    try {
      return Path.of(AndroidVectors.class.getResource("/vectors/android/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path tee() {
    return dir("algorithm_EC_SecurityLevel_TEE");
  }

  static Path strongBox() {
    return dir("algorithm_EC_SecurityLevel_StrongBox");
  }

  /** Each certificate's DER, leaf first. */
  static List<byte[]> der(Path dir) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; Files.exists(dir.resolve("cert" + i + ".pem")); i++) {
      try (var in = Files.newInputStream(dir.resolve("cert" + i + ".pem"))) {
        out.add(((X509Certificate) cf.generateCertificate(in)).getEncoded());
      }
    }
    return out;
  }

  /** DER certificates concatenated (a form {@link AndroidKeyVerifier} reads as well as PEM). */
  static byte[] concat(List<byte[]> certs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    certs.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** Offset of the KeyDescription SEQUENCE inside a leaf certificate's DER. */
  static int keyDescriptionOffset(byte[] leafDer) {
    // OID 1.3.6.1.4.1.11129.2.1.17, then the extnValue OCTET STRING (04 82 LL LL), then 30 82.
    byte[] oid = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0xd6, 0x79, 0x02, 0x01, 0x11};
    for (int i = 0; i + oid.length < leafDer.length; i++) {
      if (java.util.Arrays.equals(leafDer, i, i + oid.length, oid, 0, oid.length)) {
        int p = i + oid.length;
        if (leafDer[p] == 0x01) { // critical BOOLEAN present
          p += 3;
        }
        return p + 4; // skip 04 82 LL LL
      }
    }
    throw new IllegalStateException("no key attestation extension in the leaf");
  }
}
