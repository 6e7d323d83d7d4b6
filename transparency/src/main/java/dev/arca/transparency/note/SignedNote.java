// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.note;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A C2SP signed note (c2sp.org/signed-note, "Format"): a UTF-8 text ending in a newline, a blank
 * line, then one or more signature lines. A parsed note is <em>not</em> trusted: call {@link
 * #verify(Collection)} before reading {@link #text()} for any decision.
 *
 * <p>Parsing accepts only the canonical form: valid UTF-8, no control characters other than
 * newline, canonical padded base64, at most {@link #MAX_SIGNATURES} signatures and {@link
 * #MAX_NOTE_BYTES} bytes. So {@code parse(bytes).encode()} returns exactly {@code bytes}.
 */
public final class SignedNote {
  /** Largest note accepted (room for many post-quantum signatures). */
  public static final int MAX_NOTE_BYTES = 1 << 20;

  /** Most signature lines accepted; the spec requires at least 16. */
  public static final int MAX_SIGNATURES = 100;

  private static final String SIGNATURE_PREFIX = "\u2014 ";

  private final String text;
  private final List<NoteSignature> signatures;

  private SignedNote(String text, List<NoteSignature> signatures) {
    this.text = text;
    this.signatures = List.copyOf(signatures);
  }

  /**
   * Signs a text with each signer, in order.
   *
   * @param text note text: non-empty, ends with a newline, no control characters but newline
   * @throws IllegalArgumentException if the text or the signer list is not acceptable
   */
  public static SignedNote sign(String text, List<? extends NoteSigner> signers) {
    requireValidText(text);
    if (signers.isEmpty() || signers.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("need 1 to " + MAX_SIGNATURES + " signers");
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<NoteSignature> sigs = new ArrayList<>();
    for (NoteSigner s : signers) {
      sigs.add(new NoteSignature(s.keyName(), s.keyId(), s.sign(bytes)));
    }
    return new SignedNote(text, sigs);
  }

  /**
   * Parses a note without verifying it.
   *
   * @throws MalformedNoteException with an id starting {@code note.malformed}
   */
  public static SignedNote parse(byte[] note) throws MalformedNoteException {
    Objects.requireNonNull(note, "note");
    if (note.length > MAX_NOTE_BYTES) {
      throw malformed("too-large", "note exceeds " + MAX_NOTE_BYTES + " bytes");
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(note))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed("utf8", "note is not valid UTF-8");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw malformed("control", "note contains control character 0x" + Integer.toHexString(c));
      }
    }
    if (!s.endsWith("\n")) {
      throw malformed("newline", "note must end with a newline");
    }
    int split = s.lastIndexOf("\n\n");
    if (split < 0) {
      throw malformed("no-signatures", "note has no blank line before signatures");
    }
    String text = s.substring(0, split + 1);
    String block = s.substring(split + 2);
    if (block.isEmpty()) {
      throw malformed("no-signatures", "note has no signature lines");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw malformed(
          "too-many-signatures", "note has more than " + MAX_SIGNATURES + " signatures");
    }
    List<NoteSignature> sigs = new ArrayList<>(lines.length);
    for (String line : lines) {
      sigs.add(parseSignatureLine(line));
    }
    return new SignedNote(text, sigs);
  }

  /**
   * Verifies the note against trusted keys (c2sp.org/signed-note, "Signatures"). Signatures by keys
   * not in {@code trusted} (by name and id) are ignored; every signature by a trusted key must
   * verify.
   *
   * @param trusted verifiers; no two may share a name and id
   * @return the note with the signatures that verified
   * @throws NoteVerificationException {@code note.bad-signature} if a trusted key's signature
   *     fails, {@code note.no-trusted-signature} if no trusted key signed
   */
  public VerifiedNote verify(Collection<? extends NoteVerifier> trusted)
      throws NoteVerificationException {
    Map<String, NoteVerifier> byKey = new HashMap<>();
    for (NoteVerifier v : trusted) {
      if (byKey.put(v.keyName() + "+" + v.keyId(), v) != null) {
        throw new IllegalArgumentException("two trusted keys share name and id: " + v.keyName());
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<NoteSignature> verified = new ArrayList<>();
    for (NoteSignature sig : signatures) {
      NoteVerifier v = byKey.get(sig.keyName() + "+" + sig.keyId());
      if (v == null) {
        continue;
      }
      v.verify(bytes, sig.signature());
      verified.add(sig);
    }
    if (verified.isEmpty()) {
      throw new NoteVerificationException(
          "note.no-trusted-signature",
          "note is not signed by any trusted key (trusted: "
              + byKey.values().stream().map(NoteVerifier::keyName).sorted().toList()
              + ")");
    }
    return new VerifiedNote(text, verified);
  }

  /** The note text including its final newline; untrusted until verified. */
  public String text() {
    return text;
  }

  /** All signature lines, in order. */
  public List<NoteSignature> signatures() {
    return signatures;
  }

  /** The note in its wire form. */
  public byte[] encode() {
    StringBuilder sb = new StringBuilder(text).append('\n');
    for (NoteSignature sig : signatures) {
      sb.append(sig.line());
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A new note with the same text and {@code extra} appended (for example a cosignature). */
  public SignedNote withSignature(NoteSignature extra) {
    if (signatures.size() >= MAX_SIGNATURES) {
      throw new IllegalArgumentException("note already has " + MAX_SIGNATURES + " signatures");
    }
    List<NoteSignature> all = new ArrayList<>(signatures);
    all.add(extra);
    return new SignedNote(text, all);
  }

  static void requireValidText(String text) {
    if (text == null || text.isEmpty() || !text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must be non-empty and end with a newline");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException("note text contains a control character");
      }
    }
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(CharBuffer.wrap(text))) {
      throw new IllegalArgumentException("note text is not valid Unicode");
    }
  }

  private static NoteSignature parseSignatureLine(String line) throws MalformedNoteException {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw malformed("signature-line", "signature line must start with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space <= 0) {
      throw malformed("signature-line", "signature line needs a key name and a signature");
    }
    String name = rest.substring(0, space);
    String b64 = rest.substring(space + 1);
    if (!NoteKeys.isValidKeyName(name)) {
      throw malformed("key-name", "invalid key name in signature line");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw malformed("base64", "signature of " + name + " is not base64");
    }
    // Only the canonical encoding is accepted, so one note has exactly one byte form.
    if (!Base64.getEncoder().encodeToString(blob).equals(b64)) {
      throw malformed("base64", "signature of " + name + " is not canonical base64");
    }
    if (blob.length < 5) {
      throw malformed("signature-length", "signature of " + name + " is too short");
    }
    int keyId = ByteBuffer.wrap(blob, 0, 4).getInt();
    return new NoteSignature(name, keyId, Arrays.copyOfRange(blob, 4, blob.length));
  }

  private static MalformedNoteException malformed(String what, String message) {
    return new MalformedNoteException("note.malformed." + what, message);
  }

  @Override
  public String toString() {
    return "SignedNote[" + signatures + "]";
  }
}
