// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thin wrapper over the tpm2-tools commands (version 5) that Arca needs: create the endorsement
 * key and an attestation key, read public areas and NV indices, extend and read PCRs, quote,
 * activate a credential, seal a small secret to PCR values, and keep monotonic NV counters. Each
 * method runs one or a few tpm2-tools processes with the TCTI set in {@code TPM2TOOLS_TCTI}, a
 * timeout, and a clear {@link TpmToolException} on failure.
 *
 * <p>The same class drives a software TPM (swtpm, TCTI {@code swtpm:host=...,port=...}) and a
 * device's TPM through the kernel resource manager ({@link #DEVICE_TCTI}). Without a resource
 * manager (swtpm, {@code /dev/tpm0}) tpm2-tools leaves transient objects loaded, so this wrapper
 * flushes transient objects and sessions after every command; with {@code /dev/tpmrm0} the kernel
 * does that.
 *
 * <p>Keys are kept as saved-context files in the work directory (the private part is encrypted by
 * the TPM and useless elsewhere). Methods are synchronized: a TPM serves one command at a time.
 *
 * <p>Encodings returned are the TPM's own, big-endian, without TPM2B size prefixes: TPMT_PUBLIC,
 * TPMS_ATTEST, TPMT_SIGNATURE (TPM 2.0 Library Part 2).
 */
public final class Tpm2Tools {
  /** The TCTI of a device's TPM behind the kernel resource manager. */
  public static final String DEVICE_TCTI = "device:/dev/tpmrm0";

  /** NV index of the RSA-2048 EK certificate (TCG EK Credential Profile 2.0 §2.2.1.4). */
  public static final int EK_CERT_RSA_2048 = 0x01c00002;

  /** NV index of the ECC NIST P-256 EK certificate (TCG EK Credential Profile 2.0 §2.2.1.4). */
  public static final int EK_CERT_ECC_P256 = 0x01c0000a;

  /** NV index where swtpm_setup stores the certificate of its ECC NIST P-384 EK. */
  public static final int EK_CERT_ECC_P384 = 0x01c00016;

  /**
   * Commands every method may run: a caller that wants to say which one is missing before the first
   * call (the tests, the demo) checks them on the PATH.
   */
  public static final List<String> TOOLS =
      List.of(
          "tpm2_createek",
          "tpm2_createak",
          "tpm2_readpublic",
          "tpm2_pcrextend",
          "tpm2_pcrread",
          "tpm2_quote",
          "tpm2_nvread",
          "tpm2_startauthsession",
          "tpm2_policysecret",
          "tpm2_activatecredential",
          "tpm2_load",
          "tpm2_pcrreset",
          "tpm2_flushcontext",
          "tpm2_createprimary",
          "tpm2_create",
          "tpm2_policypcr",
          "tpm2_unseal",
          "tpm2_getcap",
          "tpm2_nvdefine",
          "tpm2_nvincrement");

  /** Key algorithm of an endorsement or attestation key. */
  public enum KeyType {
    /** RSA 2048. */
    RSA("rsa"),
    /** ECC NIST P-256. */
    ECC("ecc");

    private final String arg;

    KeyType(String arg) {
      this.arg = arg;
    }
  }

  /** Signing scheme of an attestation key. */
  public enum SignScheme {
    RSASSA("rsassa"),
    RSAPSS("rsapss"),
    ECDSA("ecdsa");

    private final String arg;

    SignScheme(String arg) {
      this.arg = arg;
    }
  }

  private static final AtomicLong COUNTER = new AtomicLong();
  private final String tcti;
  private final Path workDir;
  private final Duration timeout;
  private final boolean flushAfterEachCommand;

  /**
   * @param tcti a TCTI configuration, e.g. {@code swtpm:host=127.0.0.1,port=2321} or {@link
   *     #DEVICE_TCTI}
   * @param workDir an existing, private directory for context and output files
   * @param timeout the longest one tpm2-tools command may run
   */
  public Tpm2Tools(String tcti, Path workDir, Duration timeout) {
    this.tcti = Objects.requireNonNull(tcti, "tcti");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.flushAfterEachCommand = !tcti.contains("tpmrm");
  }

  /** The device's TPM through {@code /dev/tpmrm0}, 30 s per command. */
  public static Tpm2Tools forDevice(Path workDir) {
    return new Tpm2Tools(DEVICE_TCTI, workDir, Duration.ofSeconds(30));
  }

  /** The TCTI this wrapper talks to. */
  public String tcti() {
    return tcti;
  }

  /**
   * Creates the endorsement key from the default TCG template (TCG EK Credential Profile, template
   * L-1 for RSA, L-2 for ECC P-256), the key that the EK certificate certifies.
   *
   * @throws TpmToolException when tpm2_createek fails
   */
  public synchronized TpmObject createEk(KeyType type) throws TpmToolException {
    Path ctx = file("ek", "ctx");
    run("tpm2_createek", "-c", ctx.toString(), "-G", type.arg, "-u", file("ek", "pub").toString());
    return readPublicLocked(ctx.toString());
  }

  /**
   * Creates a restricted signing attestation key under {@code ek} (tpm2_createak).
   *
   * @param hashAlg the key's signing hash: {@code sha1}, {@code sha256}, {@code sha384}
   * @throws TpmToolException when tpm2_createak fails (e.g. a scheme that does not fit the type)
   */
  public synchronized TpmObject createAk(
      TpmObject ek, KeyType type, String hashAlg, SignScheme scheme) throws TpmToolException {
    Path ctx = file("ak", "ctx");
    run(
        "tpm2_createak",
        "-C",
        ek.reference(),
        "-c",
        ctx.toString(),
        "-G",
        type.arg,
        "-g",
        hashAlg,
        "-s",
        scheme.arg,
        "-u",
        file("ak", "pub").toString(),
        "-r",
        file("ak", "priv").toString(),
        "-n",
        file("ak", "name").toString());
    return readPublicLocked(ctx.toString());
  }

  /**
   * Creates an attestation key as {@link #createAk(TpmObject, KeyType, String, SignScheme)} and
   * also writes its TPM-wrapped key blobs, so a later boot can {@link #loadUnderEk load} the same
   * key instead of creating a new one. The private blob is encrypted by the TPM under the EK (its
   * storage parent) and is useless without that TPM.
   *
   * @param publicBlob where to write TPM2B_PUBLIC
   * @param privateBlob where to write TPM2B_PRIVATE (the TPM-wrapped sensitive area)
   * @throws TpmToolException when tpm2_createak fails
   */
  public synchronized TpmObject createAk(
      TpmObject ek,
      KeyType type,
      String hashAlg,
      SignScheme scheme,
      Path publicBlob,
      Path privateBlob)
      throws TpmToolException {
    Path ctx = file("ak", "ctx");
    run(
        "tpm2_createak",
        "-C",
        ek.reference(),
        "-c",
        ctx.toString(),
        "-G",
        type.arg,
        "-g",
        hashAlg,
        "-s",
        scheme.arg,
        "-u",
        publicBlob.toString(),
        "-r",
        privateBlob.toString(),
        "-n",
        file("ak", "name").toString());
    return readPublicLocked(ctx.toString());
  }

  /**
   * Loads a key whose blobs {@link #createAk(TpmObject, KeyType, String, SignScheme, Path, Path)}
   * wrote, under the EK it was created under (TPM2_Load, authorized with a
   * PolicySecret(endorsement) session as the default EK template requires).
   *
   * @throws TpmToolException when the blobs do not belong to this TPM's EK or cannot be read
   */
  public synchronized TpmObject loadUnderEk(TpmObject ek, Path publicBlob, Path privateBlob)
      throws TpmToolException {
    Path ctx = file("loaded", "ctx");
    Path session = file("session", "ctx");
    try {
      runNoFlush("tpm2_startauthsession", "--policy-session", "-S", session.toString());
      runNoFlush("tpm2_policysecret", "-S", session.toString(), "-c", "e");
      run(
          "tpm2_load",
          "-C",
          ek.reference(),
          "-u",
          publicBlob.toString(),
          "-r",
          privateBlob.toString(),
          "-c",
          ctx.toString(),
          "-P",
          "session:" + session);
    } finally {
      if (Files.exists(session)) {
        tryRun(List.of("tpm2_flushcontext", session.toString()));
        deleteQuietly(session);
      }
    }
    return readPublicLocked(ctx.toString());
  }

  /**
   * Resets a PCR to zero (TPM2_PCR_Reset). Only PCRs the platform marks resettable at locality 0
   * accept it: 16 (debug) and 23 (application support) in the TCG PC Client profile.
   *
   * @throws TpmToolException when the PCR is not resettable or the command fails
   */
  public synchronized void pcrReset(int pcr) throws TpmToolException {
    run("tpm2_pcrreset", Integer.toString(pcr));
  }

  /**
   * Reads the public area and Name of a loaded or persistent object.
   *
   * @param reference a context file or a handle such as {@code 0x81010001}
   */
  public synchronized TpmObject readPublic(String reference) throws TpmToolException {
    return readPublicLocked(reference);
  }

  /** Extends {@code digest} into PCR {@code pcr} of {@code bank} (e.g. {@code sha256}). */
  public synchronized void pcrExtend(int pcr, String bank, byte[] digest) throws TpmToolException {
    run("tpm2_pcrextend", pcr + ":" + bank + "=" + HexFormat.of().formatHex(digest));
  }

  /**
   * Extends {@code digests} into PCR {@code pcr} of {@code bank} in order, as many extends as
   * digests but up to 64 in one tpm2_pcrextend (a measurement log of hundreds of entries would
   * otherwise take hundreds of processes).
   */
  public synchronized void pcrExtendAll(int pcr, String bank, List<byte[]> digests)
      throws TpmToolException {
    for (int from = 0; from < digests.size(); from += 64) {
      List<String> cmd = new ArrayList<>(List.of("tpm2_pcrextend"));
      for (byte[] d : digests.subList(from, Math.min(digests.size(), from + 64))) {
        cmd.add(pcr + ":" + bank + "=" + HexFormat.of().formatHex(d));
      }
      run(cmd);
    }
  }

  /** Reads PCRs of one bank; index to value, in ascending index order. */
  public synchronized Map<Integer, byte[]> pcrRead(String bank, List<Integer> pcrs)
      throws TpmToolException {
    Path out = file("pcrs", "bin");
    List<Integer> sorted = pcrs.stream().sorted().distinct().toList();
    run("tpm2_pcrread", bank + ":" + join(sorted), "-o", out.toString());
    return splitValues(readAndDelete(out), sorted, bank);
  }

  /**
   * Quotes PCRs with an attestation key: the TPM signs a TPMS_ATTEST holding {@code qualifyingData}
   * as extraData and the digest of the selected PCRs.
   *
   * @param qualifyingData the nonce, at most the size of the AK's name-alg digest; may be empty
   * @param bank the PCR bank, e.g. {@code sha256}
   * @param pcrs the PCR indices to quote; may be empty (tpm2-tools' {@code <bank>:none}): a quote
   *     over no PCR at all, which binds nothing a verifier must refuse
   * @param hashAlg the signing hash, e.g. {@code sha256}; the PCR digest uses it too
   * @throws TpmToolException when tpm2_quote fails
   */
  public TpmQuote quote(
      TpmObject ak, byte[] qualifyingData, String bank, List<Integer> pcrs, String hashAlg)
      throws TpmToolException {
    return quote(ak, qualifyingData, bank, pcrs, hashAlg, null);
  }

  /**
   * Quotes as {@link #quote(TpmObject, byte[], String, List, String)} with an explicit signing
   * scheme (needed for an RSAPSS key; tpm2-tools otherwise picks RSASSA for RSA keys).
   *
   * @param scheme the key's scheme, or null for the tool's default for the key type
   */
  public synchronized TpmQuote quote(
      TpmObject ak,
      byte[] qualifyingData,
      String bank,
      List<Integer> pcrs,
      String hashAlg,
      SignScheme scheme)
      throws TpmToolException {
    Path msg = file("quote", "attest");
    Path sig = file("quote", "sig");
    Path values = file("quote", "pcrs");
    List<Integer> sorted = pcrs.stream().sorted().distinct().toList();
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "tpm2_quote",
            "-c",
            ak.reference(),
            "-l",
            bank + ":" + (sorted.isEmpty() ? "none" : join(sorted)),
            "-m",
            msg.toString(),
            "-s",
            sig.toString(),
            "-o",
            values.toString(),
            "-F",
            "values",
            "-g",
            hashAlg));
    if (scheme != null) {
      cmd.add("--scheme");
      cmd.add(scheme.arg);
    }
    if (qualifyingData.length > 0) {
      cmd.add("-q");
      cmd.add(HexFormat.of().formatHex(qualifyingData));
    }
    run(cmd);
    byte[] attest = readAndDelete(msg);
    byte[] signature = readAndDelete(sig);
    byte[] rawValues = readAndDelete(values);
    Map<Integer, byte[]> pcrValues =
        sorted.isEmpty() ? Map.of() : splitValues(rawValues, sorted, bank);
    return new TpmQuote(attest, signature, ak.publicArea(), bank, pcrValues);
  }

  /**
   * Reads a whole NV index, e.g. the EK certificate at {@link #EK_CERT_RSA_2048}.
   *
   * @throws TpmToolException when the index does not exist or cannot be read
   */
  public synchronized byte[] nvRead(int index) throws TpmToolException {
    Path out = file("nv", "bin");
    run("tpm2_nvread", "0x" + Integer.toHexString(index), "-o", out.toString());
    return readAndDelete(out);
  }

  /**
   * Runs TPM2_ActivateCredential: the TPM decrypts the seed with the EK, checks that the credential
   * was made for {@code ak}'s Name, and returns the credential (TPM 2.0 Part 1 §24). Authorizes the
   * EK with a PolicySecret(endorsement) session, as the default EK template requires.
   *
   * @param idObject the contents of TPM2B_ID_OBJECT (integrity HMAC as TPM2B, then encIdentity)
   * @param encryptedSecret the contents of TPM2B_ENCRYPTED_SECRET
   * @return the credential; the caller wipes it when done. tpm2-tools hands it over in a file of
   *     the work directory, deleted at once: on a device, give this class a work directory on a
   *     tmpfs (e.g. under {@code /run} or {@code /dev/shm}) so it never reaches a disk
   * @throws TpmToolException when activation fails (wrong EK, wrong AK Name, tampered blob)
   */
  public synchronized byte[] activateCredential(
      TpmObject ak, TpmObject ek, byte[] idObject, byte[] encryptedSecret) throws TpmToolException {
    Path blob = file("credential", "blob");
    Path session = file("session", "ctx");
    Path out = file("credential", "out");
    try {
      Files.write(blob, credentialFile(idObject, encryptedSecret));
    } catch (IOException e) {
      throw new TpmToolException("cannot write " + blob + ": " + e.getMessage(), e);
    }
    try {
      runNoFlush("tpm2_startauthsession", "--policy-session", "-S", session.toString());
      runNoFlush("tpm2_policysecret", "-S", session.toString(), "-c", "e");
      run(
          "tpm2_activatecredential",
          "-c",
          ak.reference(),
          "-C",
          ek.reference(),
          "-i",
          blob.toString(),
          "-o",
          out.toString(),
          "-P",
          "session:" + session);
      return readAndDelete(out);
    } finally {
      deleteQuietly(blob);
      deleteQuietly(out);
      if (Files.exists(session)) {
        tryRun(List.of("tpm2_flushcontext", session.toString()));
        deleteQuietly(session);
      }
    }
  }

  /**
   * Seals a small secret (at most 128 bytes, e.g. an AES key) to the current values of {@code
   * pcrs}: a keyed-hash object under the owner hierarchy's ECC primary key (recreated from its
   * template at every use, so nothing but the returned blobs needs keeping), whose only
   * authorization is a policy over those PCRs. {@link #unseal} gives the secret back on this TPM
   * while the PCRs hold the same values; after any of them changes (another boot chain, a modified
   * runtime's measurements) the TPM refuses. The secret passes through a file in the work
   * directory, deleted at once (keep the directory on a tmpfs).
   *
   * @throws TpmToolException when the TPM refuses or a command fails
   */
  public synchronized SealedObject seal(byte[] secret, String bank, List<Integer> pcrs)
      throws TpmToolException {
    if (secret.length == 0 || secret.length > 128) {
      throw new IllegalArgumentException("a sealed secret is 1 to 128 bytes");
    }
    Path primary = createOwnerPrimary();
    Path policy = file("policy", "dat");
    Path trial = file("trial", "ctx");
    Path in = file("secret", "bin");
    Path pub = file("sealed", "pub");
    Path priv = file("sealed", "priv");
    try {
      runNoFlush("tpm2_startauthsession", "-S", trial.toString());
      policyPcrs(trial, bank, pcrs, policy);
      tryRun(List.of("tpm2_flushcontext", trial.toString()));
      Files.write(in, secret);
      run(
          "tpm2_create",
          "-C",
          primary.toString(),
          "-L",
          policy.toString(),
          "-a",
          "fixedtpm|fixedparent|adminwithpolicy|noda",
          "-i",
          in.toString(),
          "-u",
          pub.toString(),
          "-r",
          priv.toString());
      return new SealedObject(readAndDelete(pub), readAndDelete(priv));
    } catch (IOException e) {
      throw new TpmToolException("cannot write " + in + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(in);
      deleteQuietly(trial);
      deleteQuietly(policy);
      deleteQuietly(primary);
    }
  }

  /**
   * Unseals what {@link #seal} sealed, with a policy session over the same PCRs.
   *
   * @return the secret; the caller wipes it
   * @throws TpmToolException when the blobs belong to another TPM or were altered, or a PCR no
   *     longer holds the value it had at sealing ({@code a policy check failed})
   */
  public synchronized byte[] unseal(SealedObject sealed, String bank, List<Integer> pcrs)
      throws TpmToolException {
    Path primary = createOwnerPrimary();
    Path pub = file("sealed", "pub");
    Path priv = file("sealed", "priv");
    Path object = file("sealed", "ctx");
    Path session = file("session", "ctx");
    Path out = file("unsealed", "bin");
    try {
      Files.write(pub, sealed.publicBlob());
      Files.write(priv, sealed.privateBlob());
      run(
          "tpm2_load",
          "-C",
          primary.toString(),
          "-u",
          pub.toString(),
          "-r",
          priv.toString(),
          "-c",
          object.toString());
      runNoFlush("tpm2_startauthsession", "--policy-session", "-S", session.toString());
      policyPcrs(session, bank, pcrs, null);
      run("tpm2_unseal", "-c", object.toString(), "-p", "session:" + session, "-o", out.toString());
      return readAndDelete(out);
    } catch (IOException e) {
      if (e instanceof TpmToolException t) {
        throw t;
      }
      throw new TpmToolException("cannot write the sealed blobs: " + e.getMessage(), e);
    } finally {
      if (Files.exists(session)) {
        tryRun(List.of("tpm2_flushcontext", session.toString()));
      }
      for (Path p : List.of(primary, pub, priv, object, session, out)) {
        deleteQuietly(p);
      }
    }
  }

  /**
   * A secret sealed by {@link #seal}: the TPM-wrapped object (TPM2B_PUBLIC and TPM2B_PRIVATE, each
   * with its size prefix, as tpm2-tools writes them), useless on any other TPM.
   */
  public record SealedObject(byte[] publicBlob, byte[] privateBlob) {
    public SealedObject {
      publicBlob = publicBlob.clone();
      privateBlob = privateBlob.clone();
    }

    /** Both blobs, one after the other (each starts with its own size). */
    public byte[] encoded() {
      return ByteBuffer.allocate(publicBlob.length + privateBlob.length)
          .put(publicBlob)
          .put(privateBlob)
          .array();
    }

    /**
     * Reads what {@link #encoded()} wrote.
     *
     * @throws IllegalArgumentException when the sizes do not add up
     */
    public static SealedObject decode(byte[] encoded) {
      if (encoded.length < 4) {
        throw new IllegalArgumentException("a sealed object is too short");
      }
      int publicLength = 2 + (((encoded[0] & 0xff) << 8) | (encoded[1] & 0xff));
      if (publicLength + 2 > encoded.length) {
        throw new IllegalArgumentException("a sealed object's public part overruns it");
      }
      int privateLength =
          2 + (((encoded[publicLength] & 0xff) << 8) | (encoded[publicLength + 1] & 0xff));
      if (publicLength + privateLength != encoded.length) {
        throw new IllegalArgumentException("a sealed object's sizes do not add up");
      }
      return new SealedObject(
          java.util.Arrays.copyOfRange(encoded, 0, publicLength),
          java.util.Arrays.copyOfRange(encoded, publicLength, encoded.length));
    }

    @Override
    public byte[] publicBlob() {
      return publicBlob.clone();
    }

    @Override
    public byte[] privateBlob() {
      return privateBlob.clone();
    }
  }

  /**
   * Reads an NV counter.
   *
   * @return its value, or empty when the index is not defined (or never incremented)
   * @throws TpmToolException when the TPM cannot be asked
   */
  public synchronized java.util.OptionalLong nvCounter(int index) throws TpmToolException {
    if (!nvIndexDefined(index)) {
      return java.util.OptionalLong.empty();
    }
    return readCounter(index);
  }

  /** Reads a defined NV counter: empty when it was never incremented. */
  private java.util.OptionalLong readCounter(int index) throws TpmToolException {
    Path out = file("nv", "bin");
    try {
      run("tpm2_nvread", "-C", "o", hex(index), "-o", out.toString());
    } catch (TpmToolException e) {
      // TPM_RC_NV_UNINITIALIZED: defined but never incremented
      if (String.valueOf(e.getMessage()).contains("0x14a")
          || String.valueOf(e.getMessage()).contains("0x14A")) {
        return java.util.OptionalLong.empty();
      }
      throw e;
    }
    byte[] value = readAndDelete(out);
    if (value.length != 8) {
      throw new TpmToolException("NV index " + hex(index) + " is not an 8-byte counter");
    }
    return java.util.OptionalLong.of(ByteBuffer.wrap(value).getLong());
  }

  /**
   * Increments an NV counter by one (TPM2_NV_Increment), defining it under the owner hierarchy
   * first when it does not exist. A counter only ever goes up: the TPM starts a (re)defined counter
   * at no less than the highest value of any counter deleted before it.
   *
   * @return the counter's value after the increment
   * @throws TpmToolException when the index exists but is no counter, or owner authorization is
   *     needed and not given
   */
  public synchronized long nvIncrement(int index) throws TpmToolException {
    if (!nvIndexDefined(index)) {
      run(
          "tpm2_nvdefine",
          hex(index),
          "-C",
          "o",
          "-s",
          "8",
          "-a",
          "nt=counter|ownerread|ownerwrite|authread|authwrite|no_da");
    }
    run("tpm2_nvincrement", "-C", "o", hex(index));
    return readCounter(index)
        .orElseThrow(() -> new TpmToolException("NV counter " + hex(index) + " did not count"));
  }

  private boolean nvIndexDefined(int index) throws TpmToolException {
    String listed =
        ProcessRunner.run(
            List.of("tpm2_getcap", "handles-nv-index"),
            Map.of("TPM2TOOLS_TCTI", tcti),
            workDir,
            timeout);
    return listed.lines().map(String::strip).anyMatch(l -> l.equalsIgnoreCase("- " + hex(index)));
  }

  private static String hex(int index) {
    return "0x" + Integer.toHexString(index);
  }

  /** The owner hierarchy's ECC primary key (the TCG default template), as a context file. */
  private Path createOwnerPrimary() throws TpmToolException {
    Path primary = file("primary", "ctx");
    run("tpm2_createprimary", "-C", "o", "-G", "ecc", "-c", primary.toString());
    return primary;
  }

  /**
   * Runs TPM2_PolicyPCR on {@code session} for {@code pcrs}, at most eight at a time (tpm2-tools'
   * limit per command): the policies chain, so every group must match. Writes the final policy
   * digest to {@code policyOut} when it is not null (a trial session).
   */
  private void policyPcrs(Path session, String bank, List<Integer> pcrs, Path policyOut)
      throws TpmToolException {
    List<Integer> sorted = pcrs.stream().sorted().distinct().toList();
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a PCR policy needs at least one PCR");
    }
    for (int from = 0; from < sorted.size(); from += 8) {
      List<Integer> group = sorted.subList(from, Math.min(sorted.size(), from + 8));
      List<String> cmd =
          new ArrayList<>(
              List.of("tpm2_policypcr", "-S", session.toString(), "-l", bank + ":" + join(group)));
      if (policyOut != null && from + 8 >= sorted.size()) {
        cmd.addAll(List.of("-L", policyOut.toString()));
      }
      runNoFlush(cmd);
    }
  }

  /**
   * The credential file tpm2-tools reads and writes ({@code tpm2_makecredential -o}): magic
   * 0xBADCC0DE, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET (big-endian).
   */
  public static byte[] credentialFile(byte[] idObject, byte[] encryptedSecret) {
    if (idObject.length > 0xffff || encryptedSecret.length > 0xffff) {
      throw new IllegalArgumentException("credential parts exceed a TPM2B size");
    }
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + idObject.length + 2 + encryptedSecret.length);
    b.putInt(0xBADCC0DE).putInt(1);
    b.putShort((short) idObject.length).put(idObject);
    b.putShort((short) encryptedSecret.length).put(encryptedSecret);
    return b.array();
  }

  private TpmObject readPublicLocked(String reference) throws TpmToolException {
    Path pub = file("public", "tpmt");
    Path name = file("public", "name");
    run(
        "tpm2_readpublic",
        "-c",
        reference,
        "-f",
        "tpmt",
        "-o",
        pub.toString(),
        "-n",
        name.toString());
    return new TpmObject(reference, readAndDelete(pub), readAndDelete(name));
  }

  private Map<Integer, byte[]> splitValues(byte[] raw, List<Integer> pcrs, String bank)
      throws TpmToolException {
    if (pcrs.isEmpty() || raw.length % pcrs.size() != 0) {
      throw new TpmToolException(
          "tpm2-tools returned " + raw.length + " bytes for " + pcrs.size() + " " + bank + " PCRs");
    }
    int size = raw.length / pcrs.size();
    Map<Integer, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < pcrs.size(); i++) {
      out.put(pcrs.get(i), java.util.Arrays.copyOfRange(raw, i * size, (i + 1) * size));
    }
    return out;
  }

  private void run(String... cmd) throws TpmToolException {
    run(List.of(cmd));
  }

  private void run(List<String> cmd) throws TpmToolException {
    try {
      runNoFlush(cmd);
    } finally {
      if (flushAfterEachCommand) {
        tryRun(List.of("tpm2_flushcontext", "-t"));
        tryRun(List.of("tpm2_flushcontext", "-l"));
      }
    }
  }

  private void runNoFlush(String... cmd) throws TpmToolException {
    runNoFlush(List.of(cmd));
  }

  private void runNoFlush(List<String> cmd) throws TpmToolException {
    ProcessRunner.run(cmd, Map.of("TPM2TOOLS_TCTI", tcti), workDir, timeout);
  }

  private void tryRun(List<String> cmd) {
    try {
      runNoFlush(cmd);
    } catch (TpmToolException e) {
      // best effort: nothing to flush is not an error worth reporting
    }
  }

  private Path file(String what, String ext) {
    return workDir.resolve(what + "-" + COUNTER.incrementAndGet() + "." + ext);
  }

  private static byte[] readAndDelete(Path f) throws TpmToolException {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new TpmToolException("tpm2-tools did not write " + f + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(f);
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      // a leftover output file holds no secret; the work directory is private
    }
  }

  private static String join(List<Integer> pcrs) {
    StringBuilder sb = new StringBuilder();
    for (int p : pcrs) {
      sb.append(sb.length() == 0 ? "" : ",").append(p);
    }
    return sb.toString();
  }

  /** Runs one external command with a timeout, keeping the tail of its standard error. */
  static final class ProcessRunner {
    private ProcessRunner() {}

    static String run(List<String> cmd, Map<String, String> env, Path dir, Duration timeout)
        throws TpmToolException {
      Path err;
      Path out;
      try {
        err = Files.createTempFile(dir, "stderr-", ".txt");
        out = Files.createTempFile(dir, "stdout-", ".txt");
      } catch (IOException e) {
        throw new TpmToolException("cannot create files in " + dir + ": " + e.getMessage(), e);
      }
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectError(err.toFile())
              .redirectOutput(out.toFile());
      pb.environment().putAll(env);
      try {
        Process p;
        try {
          p = pb.start();
        } catch (IOException e) {
          throw new TpmToolException(
              cmd.get(0) + " could not be started (is it installed? " + e.getMessage() + ")", e);
        }
        try {
          if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new TpmToolException(
                cmd.get(0) + " timed out after " + timeout.toSeconds() + " s");
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
          throw new TpmToolException(cmd.get(0) + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
          throw new TpmToolException(
              cmd.get(0) + " failed with exit code " + p.exitValue() + ": " + tail(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } catch (IOException e) {
        if (e instanceof TpmToolException t) {
          throw t;
        }
        throw new TpmToolException(cmd.get(0) + ": " + e.getMessage(), e);
      } finally {
        deleteQuietly(err);
        deleteQuietly(out);
      }
    }

    private static String tail(Path err) {
      try {
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
        List<String> kept =
            lines.subList(Math.max(0, lines.size() - 3), lines.size()).stream()
                .map(String::strip)
                .toList();
        return kept.isEmpty() ? "(no error output)" : String.join(" | ", kept);
      } catch (IOException e) {
        return "(error output unreadable)";
      }
    }
  }
}
