// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.android;

import dev.arca.evidence.Claims;
import dev.arca.evidence.EvidenceException;
import dev.arca.evidence.EvidenceVerifier;
import dev.arca.evidence.Failures;
import dev.arca.evidence.FormatDescriptor;
import dev.arca.evidence.ReportData;
import dev.arca.evidence.Trustworthiness;
import dev.arca.evidence.VerificationContext;
import dev.arca.evidence.internal.CertificateChains;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Verifies Android Key Attestation certificate chains (format {@code android-key}; AOSP "Key and ID
 * attestation", developer.android.com "Verify hardware-backed key pairs with key attestation").
 *
 * <p>Checks, all at {@link VerificationContext#time()}: every certificate is signed by the next;
 * the chain ends at one of {@link GoogleAttestationRoots} (pinned by key) or at a context trust
 * anchor; a self-issued top certificate carries a valid self-signature; no certificate is listed in
 * the optional collateral {@value AttestationStatusList#COLLATERAL_NAME}; the key description
 * (extension {@value KeyDescription#OID}, taken from the certificate nearest the root that carries
 * it, as Google advises) parses; its attestation challenge equals the expected nonce (or report
 * data). Independent failures are all reported.
 *
 * <p>Claims: {@code hardwareRooted} only when the chain ends at a Google root and the attestation
 * security level is TEE or StrongBox; {@code securityLevel} {@code tee}/{@code strongbox}/{@code
 * software}; {@code deviceIdentity}: when the hardware-enforced list attests brand, model and
 * serial (ID attestation, tags 710, 717, 713), {@link #idAttestedIdentity the device's identity}
 * {@code android:<brand>/<model>/<serial>}, the same for every key the device attests; otherwise
 * {@code android-key:} + hex SHA-256 over (2-byte big-endian length of the verified boot key, the
 * verified boot key, SHA-256 of the attested certificate's SubjectPublicKeyInfo), one per boot key
 * and attested key, which names no device an enrolment can pin (raw claim {@code
 * deviceIdentitySource} {@code id-attestation} or {@code attested-key}); {@code debug} when the
 * bootloader is unlocked, verified boot is unverified or failed, or the key or attestation is not
 * in secure hardware; insecure flags {@code android.bootloader-unlocked}, {@code
 * android.verified-boot.<state>} (state not verified), {@code android.software-security-level},
 * {@code android.root-of-trust-missing}, {@code android.non-google-root}; tcb: OS version and OS,
 * vendor and boot patch levels; report data: the attestation challenge; raw claims besides the key
 * description: {@code applicationPackageNames} and {@code applicationSignatureDigests} (tag 709,
 * whichever list carries it), {@code attestedIds} (hardware-enforced tags 710..717).
 *
 * <p>Failure ids: {@code android.evidence.too-large}, {@code android.chain.malformed}, {@code
 * android.chain.signature-invalid}, {@code android.chain.untrusted-root}, {@code
 * android.chain.issuer-not-ca}, {@code android.chain.expired}, {@code android.chain.not-yet-valid},
 * {@code android.chain.revoked}, {@code android.chain.suspended}, {@code android.status.malformed},
 * {@code android.key-description.missing}, {@code android.key-description.malformed}, {@code
 * android.key-description.truncated}, {@code android.key-description.length-too-large}, {@code
 * android.challenge.mismatch}.
 */
public final class AndroidKeyVerifier implements EvidenceVerifier {
  /** Media type of a PEM (or concatenated DER) chain, leaf first. */
  public static final String MEDIA_TYPE = "application/vnd.arca.android-key-attestation";

  /** A chain is a few kilobytes; this bounds what is parsed. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** Longest chain read from a folder (cert0.pem .. cert15.pem). */
  public static final int MAX_CHAIN_FILES = 16;

  private static final FormatDescriptor DESCRIPTOR =
      new FormatDescriptor("android-key", "1", List.of(MEDIA_TYPE));
  private static final Provider BC = new BouncyCastleProvider();
  private static final String PREFIX = "android";

  @Override
  public FormatDescriptor descriptor() {
    return DESCRIPTOR;
  }

  /**
   * Reads one PEM (or DER) file holding the chain leaf first, or a folder of {@code cert0.pem}
   * (leaf) .. {@code certN.pem} (root), read in order until the first missing number.
   */
  @Override
  public byte[] readEvidence(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return Files.readAllBytes(path);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int n = 0;
    while (n < MAX_CHAIN_FILES && Files.isRegularFile(path.resolve("cert" + n + ".pem"))) {
      out.write(Files.readAllBytes(path.resolve("cert" + n + ".pem")));
      out.write('\n');
      n++;
    }
    if (n == 0) {
      throw new IOException(path + " holds no cert0.pem (the leaf certificate)");
    }
    return out.toByteArray();
  }

  @Override
  public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
    if (evidence.length > MAX_BYTES) {
      throw new EvidenceException(
          "android.evidence.too-large",
          "the chain is " + evidence.length + " bytes; at most " + MAX_BYTES);
    }
    List<X509Certificate> chain = CertificateChains.parse(evidence, PREFIX);
    Failures failures = new Failures();

    X509Certificate top = chain.get(chain.size() - 1);
    Optional<PinnedAnchor> pinned = pinnedAnchorFor(top);
    List<X509Certificate> anchors =
        context.anchorsWith(pinned.map(p -> List.of(p.top())).orElse(List.of()));
    if (pinned.isPresent() && !pinned.get().signedByRoot()) {
      try {
        // The chain carries the pinned root itself; its key is trusted, its bytes must be too.
        CertificateChains.requireSelfSigned(top, chain.size() - 1, PREFIX);
      } catch (EvidenceException e) {
        failures.addAll(e);
      }
    }
    X509Certificate anchor = null;
    try {
      anchor = CertificateChains.validate(chain, anchors, context.time(), PREFIX);
    } catch (EvidenceException e) {
      failures.addAll(e);
    }

    boolean statusChecked = false;
    Optional<byte[]> status = context.collateral(AttestationStatusList.COLLATERAL_NAME);
    if (status.isPresent()) {
      try {
        AttestationStatusList.parse(status.get()).check(chain, failures);
        statusChecked = true;
      } catch (EvidenceException e) {
        failures.addAll(e);
      }
    }

    int attested = attestedIndex(chain);
    KeyDescription description = null;
    if (attested < 0) {
      failures.add(
          "android.key-description.missing",
          "no certificate in the chain carries the key attestation extension "
              + KeyDescription.OID);
    } else {
      try {
        description = KeyDescriptionParser.parse(extensionContent(chain.get(attested)));
      } catch (EvidenceException e) {
        failures.addAll(e);
      }
    }

    // Android binds one value, the challenge: an expected nonce and expected report data must
    // each equal it.
    boolean mismatch = false;
    for (Optional<byte[]> expected :
        List.of(context.expectedNonce(), context.expectedReportData())) {
      mismatch |=
          description != null
              && expected.isPresent()
              && !MessageDigest.isEqual(expected.get(), description.attestationChallenge());
    }
    if (mismatch) {
      failures.addBinding(
          "android.challenge.mismatch",
          "the attestation challenge is not the expected nonce (a replayed or foreign attestation)");
    }
    failures.throwIfAny();

    Optional<GoogleAttestationRoots.Root> googleRoot =
        // By content: a validated chain's anchor may be another parse of the same certificate.
        pinned.isPresent() && pinned.get().top().equals(anchor)
            ? Optional.of(pinned.get().root())
            : Optional.ofNullable(anchor).flatMap(GoogleAttestationRoots::of);
    return claims(chain, attested, description, googleRoot, statusChecked);
  }

  /**
   * The chain's top certificate, trusted because of the pinned Google root it has or is signed by.
   */
  private record PinnedAnchor(
      X509Certificate top, GoogleAttestationRoots.Root root, boolean signedByRoot) {}

  /** The top certificate as an anchor when it has a pinned key or a pinned key signed it. */
  private static Optional<PinnedAnchor> pinnedAnchorFor(X509Certificate top) {
    Optional<GoogleAttestationRoots.Root> own = GoogleAttestationRoots.of(top);
    if (own.isPresent()) {
      return Optional.of(new PinnedAnchor(top, own.get(), false));
    }
    for (GoogleAttestationRoots.Root r : GoogleAttestationRoots.all()) {
      try {
        top.verify(r.publicKey(), BC);
        return Optional.of(new PinnedAnchor(top, r, true));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not signed by this root
      }
    }
    return Optional.empty();
  }

  /** Index of the certificate nearest the root that carries the extension; -1 if none. */
  private static int attestedIndex(List<X509Certificate> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      if (chain.get(i).getExtensionValue(KeyDescription.OID) != null) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] extensionContent(X509Certificate cert) throws EvidenceException {
    byte[] wrapped = cert.getExtensionValue(KeyDescription.OID);
    try {
      return ASN1OctetString.getInstance(wrapped).getOctets();
    } catch (RuntimeException e) {
      throw new EvidenceException(
          "android.key-description.malformed", "the extension value is not an OCTET STRING");
    }
  }

  private static Claims claims(
      List<X509Certificate> chain,
      int attested,
      KeyDescription d,
      Optional<GoogleAttestationRoots.Root> googleRoot,
      boolean statusChecked) {
    SecurityLevel level = d.attestationSecurityLevel();
    boolean hardwareRooted = googleRoot.isPresent() && level.isHardware();
    AuthorizationList hw = d.hardwareEnforced();
    AuthorizationList sw = d.softwareEnforced();
    Optional<RootOfTrust> rot = hw.rootOfTrust().or(sw::rootOfTrust);
    byte[] leafSpki = chain.get(attested).getPublicKey().getEncoded();
    byte[] leafKeyHash = ReportData.sha256().digest(leafSpki);

    Claims.Builder c =
        Claims.builder("android-key")
            .hardwareRooted(hardwareRooted)
            .securityLevel(level.claimName())
            .deviceIdentity(
                idAttestedIdentity(hw.attestedIds())
                    .orElse(deviceIdentity(rot.map(RootOfTrust::verifiedBootKey), leafKeyHash)))
            .reportData(d.attestationChallenge());

    List<String> flags = new ArrayList<>();
    boolean debug = false;
    if (rot.isEmpty()) {
      flags.add("android.root-of-trust-missing");
    } else {
      RootOfTrust r = rot.get();
      c.measurement("verifiedBootKey", r.verifiedBootKey());
      c.measurement("verifiedBootHash", r.verifiedBootHash());
      if (!r.deviceLocked()) {
        flags.add("android.bootloader-unlocked");
        debug = true;
      }
      if (r.verifiedBootState() != VerifiedBootState.VERIFIED) {
        flags.add("android.verified-boot." + r.verifiedBootState().claimName());
        debug |=
            r.verifiedBootState() == VerifiedBootState.UNVERIFIED
                || r.verifiedBootState() == VerifiedBootState.FAILED;
      }
    }
    if (!level.isHardware() || !d.keymasterSecurityLevel().isHardware()) {
      // A software keystore can claim anything about the device: nothing it says is enforced.
      flags.add("android.software-security-level");
      debug = true;
    }
    if (googleRoot.isEmpty()) {
      flags.add("android.non-google-root");
    }
    flags.forEach(c::insecureFlag);
    c.debug(debug);

    c.tcb("attestationVersion", Integer.toString(d.attestationVersion()));
    c.tcb("keymasterVersion", Integer.toString(d.keymasterVersion()));
    tcb(c, "osVersion", hw.osVersion(), sw.osVersion());
    tcb(c, "osPatchLevel", hw.osPatchLevel(), sw.osPatchLevel());
    tcb(c, "vendorPatchLevel", hw.vendorPatchLevel(), sw.vendorPatchLevel());
    tcb(c, "bootPatchLevel", hw.bootPatchLevel(), sw.bootPatchLevel());

    d.toClaims().forEach(c::raw);
    c.raw(
        "deviceIdentitySource",
        idAttestedIdentity(hw.attestedIds()).isPresent() ? "id-attestation" : "attested-key");
    Optional<AttestationApplicationId> app =
        sw.attestationApplicationId().or(hw::attestationApplicationId);
    c.raw(
        "applicationPackageNames",
        app.map(a -> a.packages().stream().map(AttestationApplicationId.Package::name).toList())
            .orElse(List.of()));
    c.raw(
        "applicationSignatureDigests",
        app.map(AttestationApplicationId::signatureDigests).orElse(List.of()));
    c.raw("attestedIds", hw.attestedIds().toClaims());
    c.raw(
        "rootKey", googleRoot.map(GoogleAttestationRoots.Root::claimName).orElse("context-anchor"));
    c.raw("chainLength", chain.size());
    c.raw("attestedCertificateIndex", attested);
    c.raw("attestedKeySha256", HexFormat.of().formatHex(leafKeyHash));
    c.raw("chainSerialNumbers", chain.stream().map(x -> x.getSerialNumber().toString(16)).toList());
    c.raw("revocationStatus", statusChecked ? "checked" : "not-checked");

    c.trustworthiness(trustworthiness(hardwareRooted, googleRoot.isPresent(), rot));
    return c.build();
  }

  private static Trustworthiness trustworthiness(
      boolean hardwareRooted, boolean googleRooted, Optional<RootOfTrust> rot) {
    Trustworthiness t = Trustworthiness.empty();
    if (hardwareRooted) {
      t = t.with(Trustworthiness.Claim.HARDWARE, Trustworthiness.AFFIRMING);
      t = t.with(Trustworthiness.Claim.INSTANCE_IDENTITY, Trustworthiness.AFFIRMING);
    } else if (googleRooted) {
      // A Google chain that says "software": the key is not in recognized hardware.
      t = t.with(Trustworthiness.Claim.HARDWARE, Trustworthiness.CONTRAINDICATED + 1);
    }
    if (rot.isPresent()) {
      RootOfTrust r = rot.get();
      boolean safe = r.deviceLocked() && r.verifiedBootState() == VerifiedBootState.VERIFIED;
      t =
          t.with(
              Trustworthiness.Claim.CONFIGURATION,
              safe ? Trustworthiness.AFFIRMING : Trustworthiness.CONTRAINDICATED);
      int executables =
          switch (r.verifiedBootState()) {
            case VERIFIED -> Trustworthiness.AFFIRMING;
            case SELF_SIGNED -> Trustworthiness.WARNING + 1; // runs code not from the vendor
            case UNVERIFIED, FAILED -> Trustworthiness.CONTRAINDICATED;
          };
      t = t.with(Trustworthiness.Claim.EXECUTABLES, executables);
    }
    return t;
  }

  private static void tcb(
      Claims.Builder c, String name, java.util.OptionalLong hw, java.util.OptionalLong sw) {
    java.util.OptionalLong v = hw.isPresent() ? hw : sw;
    if (v.isPresent()) {
      c.tcb(name, Long.toString(v.getAsLong()));
    }
  }

  /**
   * The identity of an ID-attested device: {@code android:} + brand + {@code /} + model + {@code /}
   * + serial, brand and model lower-cased (ROOT locale), the serial as attested. Empty when brand,
   * model or serial is missing or empty, or any holds a {@code /} or a control character (the
   * identity would be ambiguous); enrolment computes its identity with this method too.
   */
  public static Optional<String> idAttestedIdentity(String brand, String model, String serial) {
    for (String v : new String[] {brand, model, serial}) {
      if (v == null
          || v.isEmpty()
          || v.indexOf('/') >= 0
          || v.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "android:"
            + brand.toLowerCase(Locale.ROOT)
            + "/"
            + model.toLowerCase(Locale.ROOT)
            + "/"
            + serial);
  }

  private static Optional<String> idAttestedIdentity(AttestedDeviceIds ids) {
    return idAttestedIdentity(
        ids.brand().orElse(null), ids.model().orElse(null), ids.serial().orElse(null));
  }

  /** See the class comment: hex SHA-256 over (len16 || boot key || SHA-256(attested SPKI)). */
  static String deviceIdentity(Optional<byte[]> verifiedBootKey, byte[] attestedKeyHash) {
    byte[] vbk = verifiedBootKey.orElse(new byte[0]);
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((byte) (vbk.length >>> 8));
      md.update((byte) vbk.length);
      md.update(vbk);
      md.update(attestedKeyHash);
      return "android-key:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
