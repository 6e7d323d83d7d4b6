// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verification checks evidence against. Immutable.
 *
 * <p>Fail closed by construction: a context always names the binding the evidence must carry,
 * {@link #expectingReportData} (what the service and the auditor use) or {@link #expectingNonce}.
 * Only {@link #insecureWithoutBinding}, named for what it is, builds one that checks no binding:
 * for offline inspection of evidence whose challenge is not known, never for a key release.
 *
 * <ul>
 *   <li>{@code time}: the instant certificates, collateral and tokens are checked at. Always
 *       explicit, so archived evidence can be re-verified at the time it was made.
 *   <li>{@code expectedNonce}: the challenge the attester was given; each format checks it where
 *       the format carries it (TPM extraData, Nitro nonce, Android attestation challenge, ...).
 *   <li>{@code expectedReportData}: the exact report data the evidence must bind. Where a format
 *       carries a fixed 64-byte field (SEV-SNP, TDX, a CCA realm challenge), shorter report data
 *       must fill its first bytes and zeros the rest.
 * </ul>
 *
 * <p>Exactly one of the two is set, non-empty, by the factory that starts the builder; no builder
 * method can change or clear it. Only an {@link #insecureWithoutBinding} context has neither
 * ({@link #unbound()}): the bound data is then reported in the claims but not checked. Every
 * mismatch is a {@link Failure.Kind#BINDING} failure, so a caller can tell a replay or foreign
 * evidence ({@link EvidenceException#onlyBinding()}) from bad evidence.
 *
 * <ul>
 *   <li>{@code trustAnchors}: root certificates added to a format's pinned roots, or replacing them
 *       when {@code replacePinnedAnchors} is set (for test CAs such as swtpm-localca).
 *   <li>{@code trustedKeys}: raw verification keys for formats without certificate chains (PSA, CCA
 *       platform key, enrolled dev keys).
 *   <li>{@code collateral}: named files a format needs (VCEK, TCB info, CRLs, ...), by file name.
 * </ul>
 */
public final class VerificationContext {
  private final Instant time;
  private final byte[] expectedNonce;
  private final byte[] expectedReportData;
  private final List<X509Certificate> trustAnchors;
  private final boolean replacePinnedAnchors;
  private final List<PublicKey> trustedKeys;
  private final Map<String, byte[]> collateral;

  private VerificationContext(Builder b) {
    this.time = Objects.requireNonNull(b.time, "time");
    this.expectedNonce = b.expectedNonce == null ? null : b.expectedNonce.clone();
    this.expectedReportData = b.expectedReportData == null ? null : b.expectedReportData.clone();
    this.trustAnchors = List.copyOf(b.trustAnchors);
    this.replacePinnedAnchors = b.replacePinnedAnchors;
    this.trustedKeys = List.copyOf(b.trustedKeys);
    Map<String, byte[]> c = new LinkedHashMap<>();
    b.collateral.forEach((k, v) -> c.put(k, v.clone()));
    this.collateral = java.util.Collections.unmodifiableMap(c);
  }

  /**
   * Starts a context that verifies at {@code time} evidence that must bind exactly {@code
   * reportData} (what the service and the auditor use).
   *
   * @throws IllegalArgumentException if {@code reportData} is empty: an empty binding would match
   *     evidence that binds nothing; use {@link #insecureWithoutBinding} to say so
   */
  public static Builder expectingReportData(Instant time, byte[] reportData) {
    Builder b = new Builder(time);
    b.expectedReportData = nonEmpty(reportData, "report data");
    return b;
  }

  /**
   * Starts a context that verifies at {@code time} evidence that must bind {@code nonce} (where a
   * format carries a nonce; SEV-SNP and TDX compare it with the first bytes of their report data).
   *
   * @throws IllegalArgumentException if {@code nonce} is empty: an empty nonce would be a prefix of
   *     any report data, so it would check nothing
   */
  public static Builder expectingNonce(Instant time, byte[] nonce) {
    Builder b = new Builder(time);
    b.expectedNonce = nonEmpty(nonce, "nonce");
    return b;
  }

  private static byte[] nonEmpty(byte[] binding, String what) {
    Objects.requireNonNull(binding, what);
    if (binding.length == 0) {
      throw new IllegalArgumentException(
          "the expected " + what + " is empty, which would check nothing");
    }
    return binding.clone();
  }

  /**
   * Starts a context that checks no binding at all: any nonce or report data is accepted and only
   * reported. For offline inspection ({@code arca evidence verify} without {@code --nonce}); a
   * verification that releases anything must use {@link #expectingReportData}.
   */
  public static Builder insecureWithoutBinding(Instant time) {
    return new Builder(time);
  }

  /** Whether this context checks no binding ({@link #insecureWithoutBinding}). */
  public boolean unbound() {
    return expectedNonce == null && expectedReportData == null;
  }

  public Instant time() {
    return time;
  }

  public Optional<byte[]> expectedNonce() {
    return Optional.ofNullable(expectedNonce).map(byte[]::clone);
  }

  public Optional<byte[]> expectedReportData() {
    return Optional.ofNullable(expectedReportData).map(byte[]::clone);
  }

  public List<X509Certificate> trustAnchors() {
    return trustAnchors;
  }

  public boolean replacePinnedAnchors() {
    return replacePinnedAnchors;
  }

  /** The anchors to use given a format's pinned roots: pinned plus added, or only the added. */
  public List<X509Certificate> anchorsWith(List<X509Certificate> pinned) {
    if (replacePinnedAnchors) {
      return trustAnchors;
    }
    List<X509Certificate> all = new ArrayList<>(pinned);
    all.addAll(trustAnchors);
    return all;
  }

  public List<PublicKey> trustedKeys() {
    return trustedKeys;
  }

  /** A collateral file by name, if supplied. Returns a copy. */
  public Optional<byte[]> collateral(String name) {
    return Optional.ofNullable(collateral.get(name)).map(byte[]::clone);
  }

  /** Names of all supplied collateral files. */
  public java.util.Set<String> collateralNames() {
    return collateral.keySet();
  }

  /** Builds a {@link VerificationContext}. */
  public static final class Builder {
    private final Instant time;
    private byte[] expectedNonce;
    private byte[] expectedReportData;
    private final List<X509Certificate> trustAnchors = new ArrayList<>();
    private boolean replacePinnedAnchors;
    private final List<PublicKey> trustedKeys = new ArrayList<>();
    private final Map<String, byte[]> collateral = new LinkedHashMap<>();

    private Builder(Instant time) {
      this.time = Objects.requireNonNull(time, "time");
    }

    public Builder trustAnchor(X509Certificate root) {
      this.trustAnchors.add(root);
      return this;
    }

    public Builder replacePinnedAnchors(boolean replace) {
      this.replacePinnedAnchors = replace;
      return this;
    }

    public Builder trustedKey(PublicKey key) {
      this.trustedKeys.add(key);
      return this;
    }

    public Builder collateral(String name, byte[] content) {
      this.collateral.put(name, content.clone());
      return this;
    }

    public VerificationContext build() {
      return new VerificationContext(this);
    }
  }
}
