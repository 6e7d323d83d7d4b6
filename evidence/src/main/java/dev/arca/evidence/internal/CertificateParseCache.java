// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.internal;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.ReportData;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed X.509 certificates by the SHA-256 of their DER bytes (bounded, shared, thread-safe).
 *
 * <p>Why: evidence that embeds its chain (a Nitro document carries five certificates) would
 * otherwise parse every certificate on every verification, which costs more than the document's own
 * signature check. The key is a collision-resistant hash of the exact bytes, so a cached
 * certificate is the one those bytes encode. Signatures and validity are still checked by {@link
 * CertificateChains} each time (its own cache covers the signature checks).
 */
public final class CertificateParseCache {
  private static final int CACHE_SIZE = 1024;

  private static final Map<String, X509Certificate> PARSED =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, X509Certificate> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  private CertificateParseCache() {}

  /**
   * Parses exactly one DER certificate, from the cache when these bytes were parsed before. The
   * bytes must be that certificate's DER and nothing else: not PEM, not two certificates.
   *
   * @throws EvidenceException {@code <prefix>.chain.malformed} when the bytes are not exactly one
   *     DER certificate
   */
  public static X509Certificate parseOne(byte[] der, String prefix) throws EvidenceException {
    String key = HexFormat.of().formatHex(ReportData.sha256().digest(der));
    X509Certificate cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    X509Certificate cert = CertificateChains.parse(der, prefix).get(0);
    try {
      if (!MessageDigest.isEqual(cert.getEncoded(), der)) {
        throw new EvidenceException(
            prefix + ".chain.malformed",
            "a certificate field holds other bytes than one DER certificate");
      }
    } catch (CertificateEncodingException e) {
      throw new EvidenceException(
          prefix + ".chain.malformed", "a certificate cannot be encoded", e);
    }
    PARSED.put(key, cert);
    return cert;
  }
}
