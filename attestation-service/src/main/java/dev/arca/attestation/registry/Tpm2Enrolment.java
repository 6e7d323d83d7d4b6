// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.attestation.api.Base64Field;
import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.storage.Json;
import dev.arca.crypto.Sha256;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.Failure;
import dev.arca.evidence.tpm2.EkCertificates;
import dev.arca.evidence.tpm2.MakeCredential;
import dev.arca.evidence.tpm2.TpmtPublic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * TPM 2.0 devices enrol in two steps, as Keylime's registrar does (TPM 2.0 Part 1 §24):
 *
 * <ol>
 *   <li>{@link #enrol}: the request carries the EK certificate (+ intermediates), the EK public
 *       area and the AK public area (TPMT_PUBLIC, base64). The EK chain must end in a pinned
 *       manufacturer root ({@code arca.tpm.ek-roots}), the certificate must certify that EK, and
 *       the AK must be a restricted fixedTPM signing key. The service then makes a credential
 *       (TPM2_MakeCredential) over a fresh 32-byte secret for the EK, bound to the AK's Name, and
 *       answers it; it keeps only the secret's SHA-256. The device is {@code pending}.
 *   <li>{@code POST /v1/devices/{id}/activation} ({@link DeviceRegistry#activate}): only a TPM
 *       holding both that EK and a key with that Name opens the credential
 *       (TPM2_ActivateCredential); the secret it sends back makes the device {@code active}.
 * </ol>
 *
 * After that, a quote signed by the AK is {@code hardwareRooted}: the activated enrolment names the
 * AK as the device's only trusted key. Enrolment request fields: {@code ekCertificate} (DER or PEM,
 * base64), {@code ekChain} (array of base64 DER intermediates, leaf-most first; optional), {@code
 * ekPublic}, {@code akPublic}.
 */
@ApplicationScoped
public class Tpm2Enrolment implements DeviceEnrolment {
  /** Size of the credential secret: the SHA-256 digest size, the most a SHA-256 EK accepts. */
  private static final int SECRET_BYTES = 32;

  private static final int MAX_INTERMEDIATES = 8;

  private final EkRoots roots;
  private final Duration activationTtl;
  private final SecureRandom random = new SecureRandom();

  @Inject
  Tpm2Enrolment(
      @ConfigProperty(name = "arca.tpm.ek-roots") Optional<List<String>> roots,
      @ConfigProperty(name = "arca.tpm.activation-ttl", defaultValue = "PT10M")
          Duration activationTtl) {
    this.roots = new EkRoots(roots.orElse(List.of()).stream().map(Path::of).toList());
    this.activationTtl = activationTtl;
  }

  @Override
  public String format() {
    return "tpm2";
  }

  @Override
  public EnrolledIdentity enrol(JsonNode request, Instant now) {
    byte[] ekCert = Base64Field.decode("enrolment.ekCertificate", text(request, "ekCertificate"));
    byte[] intermediates = intermediates(request);
    TpmtPublic ek =
        area(
            "enrolment.ekPublic",
            Base64Field.decode("enrolment.ekPublic", text(request, "ekPublic")));
    TpmtPublic ak =
        area(
            "enrolment.akPublic",
            Base64Field.decode("enrolment.akPublic", text(request, "akPublic")));
    if (!ak.isRestrictedSigningKey()) {
      throw new ProblemException(
          ProblemType.AK_UNSUITABLE,
          String.format(
              "enrolment.akPublic (attributes 0x%08x) is not a fixedTPM restricted signing key,"
                  + " so its quotes could be forged outside the TPM",
              ak.attributes()));
    }
    List<X509Certificate> anchors = roots.load();
    X509Certificate certificate;
    try {
      certificate = EkCertificates.verifyChain(ekCert, intermediates, anchors, now);
      EkCertificates.requireSameKey(certificate, ek);
    } catch (EvidenceException e) {
      List<Map<String, String>> failures =
          e.failures().stream().map(Failure::toJsonMembers).toList();
      throw new ProblemException(
          ProblemType.EK_UNTRUSTED,
          "the EK certificate is not accepted: " + e.failures().get(0).message(),
          Map.of("failures", failures));
    }

    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    MakeCredential.Credential credential;
    byte[] digest;
    try {
      credential = MakeCredential.make(ek, ak.name(), secret, random);
      digest = Sha256.hash(secret);
    } catch (GeneralSecurityException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "enrolment.ekPublic cannot receive a credential: " + e.getMessage());
    } finally {
      Arrays.fill(secret, (byte) 0);
    }

    ObjectNode stored = Json.MAPPER.createObjectNode();
    stored.put("akPublic", Base64Field.encode(ak.encoded()));
    stored.put("akName", ak.nameHex());
    stored.put("ekPublic", Base64Field.encode(ek.encoded()));
    stored.put("ekCertificate", Base64Field.encode(encoded(certificate)));
    stored.put("ekIssuer", certificate.getIssuerX500Principal().getName());
    ObjectNode challenge = Json.MAPPER.createObjectNode();
    challenge.put("idObject", Base64Field.encode(credential.idObject()));
    challenge.put("encryptedSecret", Base64Field.encode(credential.encryptedSecret()));
    return new EnrolledIdentity(
        "tpm2:ak:" + ak.nameHex(), stored, new PendingActivation(challenge, digest, activationTtl));
  }

  private static byte[] intermediates(JsonNode request) {
    JsonNode chain = request == null ? null : request.get("ekChain");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (chain == null || chain.isNull()) {
      return out.toByteArray();
    }
    if (!chain.isArray() || chain.size() > MAX_INTERMEDIATES) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          "enrolment.ekChain must be an array of at most "
              + MAX_INTERMEDIATES
              + " base64 certificates");
    }
    for (int i = 0; i < chain.size(); i++) {
      JsonNode c = chain.get(i);
      out.writeBytes(
          Base64Field.decode("enrolment.ekChain[" + i + "]", c.isTextual() ? c.asText() : null));
    }
    return out.toByteArray();
  }

  private static TpmtPublic area(String field, byte[] bytes) {
    try {
      return TpmtPublic.parse(bytes);
    } catch (EvidenceException e) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          field + " is not a TPMT_PUBLIC: " + e.failures().get(0).message());
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate always re-encodes", e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
