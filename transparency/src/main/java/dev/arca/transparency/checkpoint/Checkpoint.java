// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.checkpoint;

import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.note.MalformedNoteException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A log's tree head (c2sp.org/tlog-checkpoint, "Note text"): origin, size, root hash and extension
 * lines. This value type is unsigned; {@link CheckpointSigner} and {@link CheckpointVerifier} add
 * and check the signature.
 *
 * @param origin the log's identity, non-empty, no newline
 * @param size number of leaves, {@code >= 0}
 * @param rootHash RFC 9162 root hash at {@code size}, 32 bytes (defensively copied)
 * @param extensions opaque extension lines, each non-empty without newline (not recommended)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
  /** Validates and copies. */
  public Checkpoint {
    if (origin == null || origin.isEmpty() || hasControl(origin)) {
      throw new IllegalArgumentException("origin must be non-empty without control characters");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0");
    }
    if (rootHash == null || rootHash.length != MerkleHashes.HASH_SIZE) {
      throw new IllegalArgumentException("root hash must be 32 bytes");
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String e : extensions) {
      if (e.isEmpty() || hasControl(e)) {
        throw new IllegalArgumentException("extension lines must be non-empty, one line each");
      }
    }
  }

  /** A checkpoint without extension lines. */
  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The note text: one line each for origin, size, base64 root and each extension. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(origin).append('\n').append(size).append('\n');
    sb.append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    for (String e : extensions) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }

  /**
   * Parses a checkpoint note text (strictly: decimal size without leading zeroes, canonical base64
   * of exactly 32 bytes, non-empty lines).
   *
   * @throws MalformedNoteException with an id starting {@code checkpoint.malformed}
   */
  public static Checkpoint parse(String text) throws MalformedNoteException {
    if (text == null || !text.endsWith("\n")) {
      throw malformed("newline", "checkpoint text must end with a newline");
    }
    List<String> lines = Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw malformed("lines", "checkpoint needs origin, size and root hash lines");
    }
    for (String line : lines) {
      if (line.isEmpty()) {
        throw malformed("empty-line", "checkpoint lines must be non-empty");
      }
      if (hasControl(line)) {
        throw malformed("control", "checkpoint contains a control character");
      }
    }
    String sizeLine = lines.get(1);
    if (!sizeLine.matches("0|[1-9][0-9]{0,18}")) {
      throw malformed("size", "tree size must be decimal without leading zeroes");
    }
    long size;
    try {
      size = Long.parseLong(sizeLine);
    } catch (NumberFormatException e) {
      throw malformed("size", "tree size does not fit in 63 bits");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines.get(2));
    } catch (IllegalArgumentException e) {
      throw malformed("root", "root hash is not base64");
    }
    if (root.length != MerkleHashes.HASH_SIZE
        || !Base64.getEncoder().encodeToString(root).equals(lines.get(2))) {
      throw malformed("root", "root hash must be canonical base64 of 32 bytes");
    }
    return new Checkpoint(
        lines.get(0), size, root, new ArrayList<>(lines.subList(3, lines.size())));
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20);
  }

  private static MalformedNoteException malformed(String what, String message) {
    return new MalformedNoteException("checkpoint.malformed." + what, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && c.origin.equals(origin)
        && c.size == size
        && Arrays.equals(c.rootHash, rootHash)
        && c.extensions.equals(extensions);
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(size);
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + origin
        + ", size "
        + size
        + ", root "
        + Base64.getEncoder().encodeToString(rootHash)
        + "]";
  }
}
