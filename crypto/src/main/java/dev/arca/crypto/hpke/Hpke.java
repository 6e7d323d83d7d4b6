package dev.arca.crypto.hpke;

import static dev.arca.crypto.hpke.LabeledKdf.concat;

import dev.arca.crypto.Secrets;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Hybrid Public Key Encryption, RFC 9180, for one {@link HpkeSuite}: all four modes (base, psk,
 * auth, auth_psk), single-shot seal/open and secret export. Implemented on Bouncy Castle's X25519
 * and the JDK's HMAC-SHA256, AES-GCM and ChaCha20-Poly1305.
 *
 * <p>Randomness for ephemeral keys comes from the {@link SecureRandom} given to the sender calls,
 * so tests can reproduce the RFC's vectors by supplying its fixed ephemeral key; production code
 * passes a real {@code SecureRandom}. Instances are immutable and thread-safe.
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
   * @throws HpkeException {@code hpke.bad-key}, {@code hpke.bad-encapsulation} or {@code
   *     hpke.bad-psk}
   */
  public Sender setupSender(HpkePublicKey pkR, byte[] info, ModeInputs inputs, SecureRandom random)
      throws HpkeException {
    Objects.requireNonNull(random, "random");
    requireKem(pkR.kem());
    if (inputs.senderPublicKey != null && inputs.senderKey == null) {
      throw new HpkeException(HpkeException.BAD_KEY, "auth sender needs its private key");
    }
    HpkePrivateKey ephemeral = HpkeKeyPair.generate(suite.kem(), random);
    try {
      byte[] enc = ephemeral.publicKey().bytes();
      byte[] dh = X25519Dh.dh(ephemeral.scalar(), pkR.bytes());
      byte[] kemContext = concat(enc, pkR.bytes());
      if (inputs.senderKey != null) {
        requireKem(inputs.senderKey.kem());
        byte[] dhS = X25519Dh.dh(inputs.senderKey.scalar(), pkR.bytes());
        byte[] both = concat(dh, dhS);
        Secrets.wipe(dh);
        Secrets.wipe(dhS);
        dh = both;
        kemContext = concat(kemContext, inputs.senderKey.publicKey().bytes());
      }
      byte[] sharedSecret = extractAndExpand(dh, kemContext);
      Secrets.wipe(dh);
      HpkeContext ctx = keySchedule(HpkeContext.Role.SENDER, inputs, sharedSecret, info);
      return new Sender(enc, ctx);
    } finally {
      ephemeral.destroy();
    }
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
    byte[] pkR = skR.publicKey().bytes();
    byte[] dh = X25519Dh.dh(skR.scalar(), enc);
    byte[] kemContext = concat(enc, pkR);
    if (inputs.senderPublicKey != null) {
      requireKem(inputs.senderPublicKey.kem());
      byte[] dhS = X25519Dh.dh(skR.scalar(), inputs.senderPublicKey.bytes());
      byte[] both = concat(dh, dhS);
      Secrets.wipe(dh);
      Secrets.wipe(dhS);
      dh = both;
      kemContext = concat(kemContext, inputs.senderPublicKey.bytes());
    }
    byte[] sharedSecret = extractAndExpand(dh, kemContext);
    Secrets.wipe(dh);
    return keySchedule(HpkeContext.Role.RECIPIENT, inputs, sharedSecret, info);
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

  private void requireKem(HpkeKem kem) throws HpkeException {
    if (kem != suite.kem()) {
      throw new HpkeException(
          HpkeException.BAD_KEY, "key is for " + kem + " but the suite uses " + suite.kem());
    }
  }

  private byte[] extractAndExpand(byte[] dh, byte[] kemContext) {
    LabeledKdf kemKdf = LabeledKdf.forKem(suite.kem());
    byte[] eaePrk = kemKdf.labeledExtract(new byte[0], "eae_prk", dh);
    byte[] secret =
        kemKdf.labeledExpand(eaePrk, "shared_secret", kemContext, suite.kem().secretLength());
    Secrets.wipe(eaePrk);
    return secret;
  }

  private HpkeContext keySchedule(
      HpkeContext.Role role, ModeInputs inputs, byte[] sharedSecret, byte[] info)
      throws HpkeException {
    HpkeMode mode = inputs.mode();
    byte[] psk = inputs.psk == null ? new byte[0] : inputs.psk;
    byte[] pskId = inputs.pskId == null ? new byte[0] : inputs.pskId;
    // VerifyPSKInputs, RFC 9180 section 5.1.
    if ((psk.length == 0) != (pskId.length == 0)) {
      throw new HpkeException(
          HpkeException.BAD_PSK, "a PSK and its id must both be given or both be empty");
    }
    if (mode.usesPsk() && psk.length == 0) {
      throw new HpkeException(HpkeException.BAD_PSK, "PSK mode needs a non-empty PSK");
    }
    LabeledKdf kdf = LabeledKdf.forSuite(suite);
    byte[] pskIdHash = kdf.labeledExtract(new byte[0], "psk_id_hash", pskId);
    byte[] infoHash = kdf.labeledExtract(new byte[0], "info_hash", info);
    byte[] context = concat(new byte[] {(byte) mode.id()}, pskIdHash, infoHash);
    byte[] secret = kdf.labeledExtract(sharedSecret, "secret", psk);
    Secrets.wipe(sharedSecret);
    HpkeAead aead = suite.aead();
    byte[] key = kdf.labeledExpand(secret, "key", context, aead.keyLength());
    byte[] baseNonce = kdf.labeledExpand(secret, "base_nonce", context, aead.nonceLength());
    byte[] exporter = kdf.labeledExpand(secret, "exp", context, kdf.hashLength());
    Secrets.wipe(secret);
    return new HpkeContext(suite, role, key, baseNonce, exporter);
  }
}
