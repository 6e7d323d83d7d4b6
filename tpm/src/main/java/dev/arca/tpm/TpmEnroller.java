// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The device side of TPM enrolment (the service's {@code tpm2} enrolment, {@code docs/api.md}):
 *
 * <ol>
 *   <li>{@link #request()} gathers what the service checks: the EK certificate from its NV index,
 *       the intermediates the caller supplies, the EK and AK public areas;
 *   <li>{@link #activate(byte[], byte[])} opens the credential the service answered with
 *       (TPM2_ActivateCredential): the TPM releases the secret only if it holds the EK and a key
 *       with the AK's Name. The caller sends the secret to {@code POST /v1/devices/{id}/activation}
 *       and wipes it.
 * </ol>
 *
 * Framework-free: {@link Request#toJson()} is a plain map any JSON library writes.
 */
public final class TpmEnroller {
  /** What the service's {@code tpm2} enrolment takes (all TPM/X.509 encodings, big-endian). */
  public record Request(
      byte[] ekCertificate, List<byte[]> ekChain, byte[] ekPublic, byte[] akPublic) {
    public Request {
      ekCertificate = ekCertificate.clone();
      ekChain = ekChain.stream().map(byte[]::clone).toList();
      ekPublic = ekPublic.clone();
      akPublic = akPublic.clone();
    }

    @Override
    public byte[] ekCertificate() {
      return ekCertificate.clone();
    }

    @Override
    public byte[] ekPublic() {
      return ekPublic.clone();
    }

    @Override
    public byte[] akPublic() {
      return akPublic.clone();
    }

    /**
     * The request's {@code enrolment} object: {@code ekCertificate}, {@code ekChain}, {@code
     * ekPublic}, {@code akPublic}, base64.
     */
    public Map<String, Object> toJson() {
      Base64.Encoder b64 = Base64.getEncoder();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ekCertificate", b64.encodeToString(ekCertificate));
      List<String> chain = new ArrayList<>();
      ekChain.forEach(c -> chain.add(b64.encodeToString(c)));
      m.put("ekChain", chain);
      m.put("ekPublic", b64.encodeToString(ekPublic));
      m.put("akPublic", b64.encodeToString(akPublic));
      return m;
    }
  }

  private final DeviceKeys keys;
  private final List<byte[]> intermediates;
  private final int ekCertificateIndex;

  /**
   * @param keys the device's EK and AK
   * @param intermediates DER certificates between the EK certificate and the manufacturer root,
   *     leaf-most first (for swtpm: devstack's {@code Swtpm.ekIntermediates()}; for a real TPM:
   *     from the vendor, usually via the EK certificate's authority information access URL)
   */
  public TpmEnroller(DeviceKeys keys, List<byte[]> intermediates) {
    this(keys, intermediates, Tpm2Tools.EK_CERT_RSA_2048);
  }

  TpmEnroller(DeviceKeys keys, List<byte[]> intermediates, int ekCertificateIndex) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.intermediates = intermediates.stream().map(byte[]::clone).toList();
    this.ekCertificateIndex = ekCertificateIndex;
  }

  /**
   * The enrolment request for this device.
   *
   * @throws TpmToolException when the TPM has no RSA EK certificate in NV
   */
  public Request request() throws TpmToolException {
    byte[] cert = keys.tools().nvRead(ekCertificateIndex);
    return new Request(cert, intermediates, keys.ek().publicArea(), keys.ak().publicArea());
  }

  /**
   * Activates the enrolment credential and returns the secret inside it; the caller sends it to the
   * service and then wipes it ({@code Arrays.fill}).
   *
   * @param idObject the credential's {@code idObject} (TPM2B_ID_OBJECT contents)
   * @param encryptedSecret the credential's {@code encryptedSecret} (TPM2B_ENCRYPTED_SECRET
   *     contents)
   * @throws TpmToolException when the TPM refuses: the credential was not made for this EK and AK
   */
  public byte[] activate(byte[] idObject, byte[] encryptedSecret) throws TpmToolException {
    return keys.tools().activateCredential(keys.ak(), keys.ek(), idObject, encryptedSecret);
  }

  /**
   * Reads certificates (PEM, one or more, or a single DER) from a file, as DER: how an operator
   * hands over the EK intermediates the vendor publishes.
   *
   * @throws TpmToolException when the file cannot be read or holds no certificate
   */
  public static List<byte[]> certificates(Path file) throws TpmToolException {
    try (InputStream in = Files.newInputStream(file)) {
      List<byte[]> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add(c.getEncoded());
      }
      if (out.isEmpty()) {
        throw new TpmToolException(file + " holds no certificate");
      }
      return out;
    } catch (IOException | GeneralSecurityException e) {
      if (e instanceof TpmToolException t) {
        throw t;
      }
      throw new TpmToolException(
          "cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  /** The identity the service records for the device: {@code tpm2:ak:<AK Name hex>}. */
  public String identity() {
    return "tpm2:ak:" + keys.ak().nameHex();
  }
}
