// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Hybrid Public Key Encryption, RFC 9180, for one {@link HpkeSuite}: all four modes (base, psk,
 * auth, auth_psk), single-shot seal/open and secret export. The KEM, key schedule and AEADs are
 * Bouncy Castle's RFC 9180 implementation ({@code org.bouncycastle.crypto.hpke}); this class admits
 * only the suites of {@link HpkeSuite}, checks inputs first so that every failure is a typed {@link
 * HpkeException}, and wipes the key bytes it holds.
 *
 * <p>In base mode, the mode Arca uses, the ephemeral key comes from the {@link SecureRandom} given
 * to the sender calls, so tests can reproduce the RFC's vectors by supplying its fixed ephemeral
 * key; production code passes a real {@code SecureRandom}. Instances are immutable and thread-safe:
 * each setup uses its own Bouncy Castle objects.
 */
public final class Hpke {
  private final HpkeSuite suite;

  private Hpke(HpkeSuite suite) {
    this.suite = Objects.requireNonNull(suite, "suite");
  }

  /** HPKE for a suite. */
  public static Hpke of(HpkeSuite suite) {
    return new Hpke(suite);
  }

  public HpkeSuite suite() {
    return suite;
  }

  /** The sender's result of a setup: the encapsulated key {@code enc} and the sender context. */
  public static final class Sender {
    private final byte[] enc;
    private final HpkeContext context;

    Sender(byte[] enc, HpkeContext context) {
      this.enc = enc;
      this.context = context;
    }

    /** The encapsulated key to send to the recipient (a copy). */
    public byte[] enc() {
      return enc.clone();
    }

    public HpkeContext context() {
      return context;
    }
  }

  /** Optional inputs that select the mode: a PSK with its id, and/or the sender's key. */
  public static final class ModeInputs {
    private static final ModeInputs BASE = new ModeInputs(null, null, (HpkePrivateKey) null);
    final byte[] psk;
    final byte[] pskId;
    final HpkePrivateKey senderKey;
    final HpkePublicKey senderPublicKey;

    private ModeInputs(byte[] psk, byte[] pskId, HpkePrivateKey senderKey) {
      this.psk = psk;
      this.pskId = pskId;
      this.senderKey = senderKey;
      this.senderPublicKey = senderKey == null ? null : senderKey.publicKey();
    }

    private ModeInputs(byte[] psk, byte[] pskId, HpkePublicKey senderPublicKey) {
      this.psk = psk;
      this.pskId = pskId;
      this.senderKey = null;
      this.senderPublicKey = senderPublicKey;
    }

    /** Base mode. */
    public static ModeInputs base() {
      return BASE;
    }

    /** PSK mode (sender and recipient). */
    public static ModeInputs psk(byte[] psk, byte[] pskId) {
      return new ModeInputs(psk.clone(), pskId.clone(), (HpkePrivateKey) null);
    }

    /** Auth mode, sender side: the sender's private key authenticates it. */
    public static ModeInputs authSender(HpkePrivateKey senderKey) {
      return new ModeInputs(null, null, Objects.requireNonNull(senderKey));
    }

    /** Auth mode, recipient side: the expected sender public key. */
    public static ModeInputs authRecipient(HpkePublicKey senderPublicKey) {
      return new ModeInputs(null, null, Objects.requireNonNull(senderPublicKey));
    }

    /** AuthPSK mode, sender side. */
    public static ModeInputs authPskSender(HpkePrivateKey senderKey, byte[] psk, byte[] pskId) {
      return new ModeInputs(psk.clone(), pskId.clone(), Objects.requireNonNull(senderKey));
    }

    /** AuthPSK mode, recipient side. */
    public static ModeInputs authPskRecipient(
        HpkePublicKey senderPublicKey, byte[] psk, byte[] pskId) {
      return new ModeInputs(psk.clone(), pskId.clone(), Objects.requireNonNull(senderPublicKey));
    }

    HpkeMode mode() {
      boolean auth = senderPublicKey != null;
      boolean withPsk = psk != null;
      if (auth) {
        return withPsk ? HpkeMode.AUTH_PSK : HpkeMode.AUTH;
      }
      return withPsk ? HpkeMode.PSK : HpkeMode.BASE;
    }
  }

  /**
   * SetupBaseS(pkR, info).
   *
   * @throws HpkeException {@code hpke.bad-key} / {@code hpke.bad-encapsulation} for a bad pkR
   */
  public Sender setupBaseSender(HpkePublicKey pkR, byte[] info, SecureRandom random)
      throws HpkeException {
    return setupSender(pkR, info, ModeInputs.base(), random);
  }

  /** SetupBaseR(enc, skR, info). */
  public HpkeContext setupBaseRecipient(byte[] enc, HpkePrivateKey skR, byte[] info)
      throws HpkeException {
    return setupRecipient(enc, skR, info, ModeInputs.base());
  }

  /**
   * Sender setup in the mode selected by {@code inputs} (RFC 9180 section 5.1.1-5.1.4).
   *
   * <p>In base mode the ephemeral key is drawn from {@code random}. Bouncy Castle's psk, auth and
   * auth_psk sender setups take no ephemeral key: there BC draws it from its default {@code
   * SecureRandom} ({@code CryptoServicesRegistrar}) and {@code random} is not used.
   *
   * @throws HpkeException {@code hpke.bad-key}, {@code hpke.bad-encapsulation} or {@code
   *     hpke.bad-psk}
   */
  public Sender setupSender(HpkePublicKey pkR, byte[] info, ModeInputs inputs, SecureRandom random)
      throws HpkeException {
    Objects.requireNonNull(random, "random");
    requireKem(pkR.kem());
    HpkeMode mode = inputs.mode();
    if (mode.usesSenderKey()) {
      if (inputs.senderKey == null) {
        throw new HpkeException(HpkeException.BAD_KEY, "auth sender needs its private key");
      }
      requireKem(inputs.senderKey.kem());
    }
    verifyPsk(mode, inputs);
    HPKE bc = BcHpke.of(suite, mode);
    AsymmetricKeyParameter bcPkR = BcHpke.publicKey(bc, pkR);
    HPKEContextWithEncapsulation ctx;
    try {
      ctx =
          switch (mode) {
            case BASE -> setupBaseS(bc, bcPkR, info, random);
            case PSK -> bc.SetupPSKS(bcPkR, info, inputs.psk, inputs.pskId);
            case AUTH -> bc.setupAuthS(bcPkR, info, BcHpke.keyPair(bc, inputs.senderKey));
            case AUTH_PSK ->
                bc.setupAuthPSKS(
                    bcPkR, info, inputs.psk, inputs.pskId, BcHpke.keyPair(bc, inputs.senderKey));
          };
    } catch (IllegalStateException e) {
      throw smallOrder(e);
    }
    return new Sender(ctx.getEncapsulation(), new HpkeContext(suite, HpkeContext.Role.SENDER, ctx));
  }

  /**
   * Recipient setup in the mode selected by {@code inputs}.
   *
   * @throws HpkeException {@code hpke.bad-encapsulation} if {@code enc} has the wrong length or
   *     gives an all-zero DH; {@code hpke.bad-psk}; {@code hpke.bad-key}
   */
  public HpkeContext setupRecipient(byte[] enc, HpkePrivateKey skR, byte[] info, ModeInputs inputs)
      throws HpkeException {
    requireKem(skR.kem());
    if (enc == null || enc.length != suite.kem().encLength()) {
      throw new HpkeException(
          HpkeException.BAD_ENCAPSULATION,
          "encapsulated key must be "
              + suite.kem().encLength()
              + " bytes, got "
              + (enc == null ? "none" : enc.length));
    }
    HpkeMode mode = inputs.mode();
    if (mode.usesSenderKey()) {
      requireKem(inputs.senderPublicKey.kem());
    }
    verifyPsk(mode, inputs);
    HPKE bc = BcHpke.of(suite, mode);
    AsymmetricCipherKeyPair kpR = BcHpke.keyPair(bc, skR);
    HPKEContext ctx;
    try {
      ctx =
          switch (mode) {
            case BASE -> bc.setupBaseR(enc, kpR, info);
            case PSK -> bc.setupPSKR(enc, kpR, info, inputs.psk, inputs.pskId);
            case AUTH ->
                bc.setupAuthR(enc, kpR, info, BcHpke.publicKey(bc, inputs.senderPublicKey));
            case AUTH_PSK ->
                bc.setupAuthPSKR(
                    enc,
                    kpR,
                    info,
                    inputs.psk,
                    inputs.pskId,
                    BcHpke.publicKey(bc, inputs.senderPublicKey));
          };
    } catch (IllegalStateException e) {
      throw smallOrder(e);
    }
    return new HpkeContext(suite, HpkeContext.Role.RECIPIENT, ctx);
  }

  /** The result of single-shot {@link #seal}: {@code enc} and the ciphertext. */
  public static final class Sealed {
    private final byte[] enc;
    private final byte[] ciphertext;

    public Sealed(byte[] enc, byte[] ciphertext) {
      this.enc = enc.clone();
      this.ciphertext = ciphertext.clone();
    }

    public byte[] enc() {
      return enc.clone();
    }

    public byte[] ciphertext() {
      return ciphertext.clone();
    }
  }

  /** Single-shot Seal (RFC 9180 section 6.1) in base mode. */
  public Sealed seal(HpkePublicKey pkR, byte[] info, byte[] aad, byte[] pt, SecureRandom random)
      throws HpkeException {
    Sender s = setupBaseSender(pkR, info, random);
    try {
      return new Sealed(s.enc, s.context.seal(aad, pt));
    } finally {
      s.context.destroy();
    }
  }

  /** Single-shot Open (RFC 9180 section 6.1) in base mode. */
  public byte[] open(byte[] enc, HpkePrivateKey skR, byte[] info, byte[] aad, byte[] ct)
      throws HpkeException {
    HpkeContext ctx = setupBaseRecipient(enc, skR, info);
    try {
      return ctx.open(aad, ct);
    } finally {
      ctx.destroy();
    }
  }

  /**
   * SetupBaseS with an ephemeral key from {@code random}: BC's own variant without one would draw
   * from BC's default SecureRandom instead of the caller's.
   */
  private HPKEContextWithEncapsulation setupBaseS(
      HPKE bc, AsymmetricKeyParameter pkR, byte[] info, SecureRandom random) throws HpkeException {
    HpkePrivateKey ephemeral = HpkeKeyPair.generate(suite.kem(), random);
    try {
      return bc.setupBaseS(pkR, info, BcHpke.keyPair(bc, ephemeral));
    } finally {
      ephemeral.destroy();
    }
  }

  private void requireKem(HpkeKem kem) throws HpkeException {
    if (kem != suite.kem()) {
      throw new HpkeException(
          HpkeException.BAD_KEY, "key is for " + kem + " but the suite uses " + suite.kem());
    }
  }

  /**
   * VerifyPSKInputs, RFC 9180 section 5.1. BC checks the same with an IllegalArgumentException;
   * checking first keeps the typed error.
   */
  private static void verifyPsk(HpkeMode mode, ModeInputs inputs) throws HpkeException {
    if (!mode.usesPsk()) {
      return; // the factories give psk and psk_id only to the psk modes
    }
    if (inputs.psk.length == 0 || inputs.pskId.length == 0) {
      throw new HpkeException(
          HpkeException.BAD_PSK, "PSK modes need a non-empty PSK and a non-empty PSK id");
    }
  }

  /**
   * BC signals an all-zero X25519 result (a small-order public key, RFC 9180 section 7.1.4) with an
   * IllegalStateException; after Arca's own checks nothing else in a setup throws one.
   */
  private static HpkeException smallOrder(IllegalStateException e) {
    return new HpkeException(
        HpkeException.BAD_ENCAPSULATION,
        "X25519 produced the all-zero value: a public key is a small-order point",
        e);
  }
}
