// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.nitro;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.cbor.CborDecoder;
import dev.arca.evidence.cose.CoseAlgorithm;
import dev.arca.evidence.cose.CoseException;
import dev.arca.evidence.cose.CoseFailures;
import dev.arca.evidence.cose.CoseSign1;
import dev.arca.evidence.internal.CertificateChains;
import dev.arca.evidence.internal.CertificateParseCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies AWS Nitro Enclaves attestation documents: an untagged or tagged COSE_Sign1 (ES384 only)
 * signed by the document's {@code certificate}, whose chain {@code certificate <- cabundle[n..1] <-
 * cabundle[0]} must end at the pinned AWS Nitro Enclaves Root G1 (or a {@code --trust-anchors}
 * root) and be valid at {@link VerificationContext#time()}.
 *
 * <p>Binding: an expected nonce is checked against the document's {@code nonce}, expected report
 * data against its {@code user_data}; the claims' report data is {@code user_data}. An enclave
 * started in debug mode reports PCR0, PCR1 and PCR2 as all zeros: such a document is flagged {@code
 * debug}, with insecure flag {@code nitro.debug-enclave} and contraindicated executables.
 *
 * <p>Failure ids: {@code nitro.document.too-large}, {@code nitro.cbor.<reason>} (see {@link
 * dev.arca.evidence.cbor.CborException.Reason}), {@code nitro.cose.malformed}, {@code
 * nitro.cose.unsupported-algorithm}, {@code nitro.document.malformed}, {@code nitro.chain.*}
 * (malformed, untrusted-root, signature-invalid, issuer-not-ca, expired, not-yet-valid), {@code
 * nitro.signature.invalid}, {@code nitro.nonce.mismatch}, {@code nitro.report-data.mismatch}.
 * Chain, signature and binding failures are all reported together.
 */
public final class NitroVerifier implements EvidenceVerifier {
  /** Media type of a Nitro attestation document (CBOR-encoded COSE_Sign1). */
  public static final String MEDIA_TYPE = "application/vnd.aws.nitro-enclaves.attestation+cbor";

  static final String FORMAT = "nitro";

  /** Real documents are about 5-10 KB; 64 KiB leaves room and bounds the work per request. */
  static final int MAX_BYTES = 64 * 1024;

  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor(FORMAT, "1", List.of(MEDIA_TYPE));
  private static final List<X509Certificate> PINNED_ROOTS = loadPinnedRoots();
  private static final CborDecoder CBOR = CborDecoder.strict();

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /** The roots pinned in Arca: the AWS Nitro Enclaves Root G1. */
  public static List<X509Certificate> pinnedRoots() {
    return PINNED_ROOTS;
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    if (evidence.length > MAX_BYTES) {
      throw new EvidenceException(
          "nitro.document.too-large",
          "the document has " + evidence.length + " bytes; at most " + MAX_BYTES);
    }
    CoseSign1 cose = CoseFailures.decodeSign1(FORMAT, evidence, CBOR);
    if (cose.algorithm() != CoseAlgorithm.ES384) {
      throw new EvidenceException(
          "nitro.cose.unsupported-algorithm",
          "Nitro documents are signed with ES384, not " + cose.algorithm());
    }
    NitroDocument doc = NitroDocument.parse(CoseFailures.decode(FORMAT, cose.payload(), CBOR));

    // Parsed certificates are cached by the hash of their bytes: parsing five certificates on
    // every call would cost more than the document's own ES384 check.
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(CertificateParseCache.parseOne(doc.certificate(), FORMAT));
    for (int i = doc.caBundle().size() - 1; i >= 0; i--) {
      chain.add(CertificateParseCache.parseOne(doc.caBundle().get(i), FORMAT));
    }

    Failures failures = new Failures();
    X509Certificate anchor = null;
    try {
      anchor =
          CertificateChains.validate(
              chain, context.anchorsWith(PINNED_ROOTS), context.time(), FORMAT);
    } catch (EvidenceException e) {
      failures.addAll(e);
    }
    try {
      cose.verify(chain.get(0).getPublicKey());
    } catch (CoseException e) {
      failures.addAll(CoseFailures.of(FORMAT, e));
    }
    checkBinding(doc, context, failures);
    failures.throwIfAny();
    return claims(doc, chain.get(0), anchor);
  }

  private static void checkBinding(
      NitroDocument doc, VerificationContext context, Failures failures) {
    Optional<byte[]> nonce = context.expectedNonce();
    if (nonce.isPresent()
        && (doc.nonce().isEmpty() || !MessageDigest.isEqual(nonce.get(), doc.nonce().get()))) {
      failures.addBinding(
          "nitro.nonce.mismatch",
          doc.nonce().isEmpty()
              ? "the document carries no nonce but one was expected"
              : "the document's nonce is not the expected challenge");
    }
    Optional<byte[]> reportData = context.expectedReportData();
    if (reportData.isPresent()
        && (doc.userData().isEmpty()
            || !MessageDigest.isEqual(reportData.get(), doc.userData().get()))) {
      failures.addBinding(
          "nitro.report-data.mismatch",
          doc.userData().isEmpty()
              ? "the document carries no user_data but report data was expected"
              : "the document's user_data is not the expected report data");
    }
  }

  private static Claims claims(NitroDocument doc, X509Certificate leaf, X509Certificate anchor) {
    HexFormat hex = HexFormat.of();
    boolean debug = isDebug(doc.pcrs());
    Claims.Builder b =
        Claims.builder(FORMAT)
            .hardwareRooted(true)
            .securityLevel("enclave")
            .deviceIdentity(doc.moduleId())
            .debug(debug)
            .reportData(doc.userData().orElse(new byte[0]));
    Map<String, Object> pcrs = new LinkedHashMap<>();
    doc.pcrs()
        .forEach(
            (i, v) -> {
              b.measurement("PCR" + i, v);
              pcrs.put(String.valueOf(i), hex.formatHex(v));
            });
    Trustworthiness tw =
        Trustworthiness.empty()
            .with(Trustworthiness.Claim.HARDWARE, Trustworthiness.AFFIRMING)
            .with(Trustworthiness.Claim.INSTANCE_IDENTITY, Trustworthiness.AFFIRMING);
    if (debug) {
      b.insecureFlag("nitro.debug-enclave");
      tw = tw.with(Trustworthiness.Claim.EXECUTABLES, Trustworthiness.CONTRAINDICATED);
    }
    b.trustworthiness(tw)
        .raw("module_id", doc.moduleId())
        .raw("digest", doc.digest())
        .raw("timestamp", doc.timestampMillis())
        .raw("timestampIso", doc.timestamp().toString())
        .raw("pcrs", pcrs)
        .raw("user_data", doc.userData().map(hex::formatHex).orElse(null))
        .raw("nonce", doc.nonce().map(hex::formatHex).orElse(null))
        .raw("public_key", doc.publicKey().map(hex::formatHex).orElse(null))
        .raw("certificateSubject", leaf.getSubjectX500Principal().getName())
        .raw("certificateSerial", leaf.getSerialNumber().toString(16))
        .raw("cabundleLength", doc.caBundle().size())
        .raw("root", anchor == null ? null : anchor.getSubjectX500Principal().getName());
    return b.build();
  }

  /** A debug enclave reports PCR0, PCR1 and PCR2 as all zeros (AWS Nitro Enclaves docs). */
  static boolean isDebug(Map<Integer, byte[]> pcrs) {
    for (int i = 0; i <= 2; i++) {
      byte[] v = pcrs.get(i);
      if (v == null) {
        return false;
      }
      for (byte x : v) {
        if (x != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<X509Certificate> loadPinnedRoots() {
    try (InputStream in = NitroVerifier.class.getResourceAsStream("aws_nitro_root_g1.pem")) {
      if (in == null) {
        throw new IllegalStateException("the pinned AWS Nitro root is missing from the jar");
      }
      return CertificateChains.parse(in.readAllBytes(), FORMAT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (EvidenceException e) {
      throw new IllegalStateException("the pinned AWS Nitro root cannot be parsed", e);
    }
  }
}
