// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.tdx;

import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.internal.BoundedCache;
import dev.arca.evidence.internal.CertificateParseCache;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificate chains in their canonical form only: the JDK's PEM reader skips characters
 * outside the base64 alphabet and ignores unused bits, so without this check some altered chains
 * would read as the original. Each block's base64 must re-encode to exactly what was sent and
 * decode to exactly one DER certificate; only newlines between blocks and trailing NUL bytes are
 * allowed around them. Every failure carries the caller's id.
 */
final class StrictPem {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN CERTIFICATE-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)-----END CERTIFICATE-----");

  private StrictPem() {}

  private static final BoundedCache<List<X509Certificate>> PARSED = new BoundedCache<>(1024);

  /** Parses (or recalls, for bytes seen before) a canonical PEM chain. */
  static List<X509Certificate> certificates(byte[] pem, String id) throws EvidenceException {
    String key = BoundedCache.key(pem);
    List<X509Certificate> cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    List<X509Certificate> parsed = parse(pem, id);
    PARSED.put(key, parsed);
    return parsed;
  }

  private static List<X509Certificate> parse(byte[] pem, String id) throws EvidenceException {
    String text = new String(pem, StandardCharsets.ISO_8859_1);
    Matcher m = BLOCK.matcher(text);
    List<X509Certificate> out = new ArrayList<>();
    int end = 0;
    while (m.find()) {
      if (!text.substring(end, m.start()).matches("[\\r\\n]*")) {
        throw new EvidenceException(id, "unexpected bytes between PEM certificates");
      }
      String b64 = m.group(1).replaceAll("[\\r\\n]", "");
      byte[] der;
      try {
        der = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new EvidenceException(id, "a PEM certificate is not valid base64");
      }
      if (!Base64.getEncoder().encodeToString(der).equals(b64)) {
        throw new EvidenceException(id, "a PEM certificate is not canonical base64");
      }
      out.add(certificate(der, id));
      end = m.end();
    }
    if (out.isEmpty() || !text.substring(end).matches("[\\r\\n]*\\x00*")) {
      throw new EvidenceException(id, "not a PEM certificate chain");
    }
    return List.copyOf(out);
  }

  /** The one DER certificate a block holds; any failure is reported under the caller's id. */
  private static X509Certificate certificate(byte[] der, String id) throws EvidenceException {
    try {
      return CertificateParseCache.parseOne(der, "pem");
    } catch (EvidenceException e) {
      throw new EvidenceException(
          id, "a PEM block is not one DER certificate: " + e.failures().get(0).message());
    }
  }
}
