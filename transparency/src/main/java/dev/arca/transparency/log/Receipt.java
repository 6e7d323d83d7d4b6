// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.merkle.MerkleHashes;
import dev.arca.transparency.merkle.MerkleVerifier;
import dev.arca.transparency.merkle.ProofVerificationException;
import dev.arca.transparency.note.MalformedNoteException;
import dev.arca.transparency.note.NoteVerificationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Proof that one entry is in the log: its index, the signed checkpoint it is in, and the inclusion
 * proof to that checkpoint's root. The service returns one with every attestation answer; the
 * device (or anyone) keeps it and can later show that the decision was logged.
 *
 * <p>JSON form ({@link #toJson()}): {@code {"index":5,"treeSize":9,"proof":["base64",...],
 * "checkpoint":"<signed note text>"}}.
 *
 * @param index the entry's index
 * @param treeSize the checkpoint's size ({@code index < treeSize})
 * @param proof inclusion proof from the leaf up (hashes copied)
 * @param checkpoint the signed checkpoint note bytes (copied)
 */
public record Receipt(long index, long treeSize, List<byte[]> proof, byte[] checkpoint) {
  /** Checks the index and copies. */
  public Receipt {
    if (index < 0 || index >= treeSize) {
      throw new IllegalArgumentException("requires 0 <= index < treeSize");
    }
    proof = proof.stream().map(byte[]::clone).toList();
    checkpoint = checkpoint.clone();
  }

  @Override
  public List<byte[]> proof() {
    return proof.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] checkpoint() {
    return checkpoint.clone();
  }

  /**
   * Verifies that {@code entry} is in the log: the checkpoint is signed by the log, has this
   * receipt's size, and the proof leads from the entry's leaf hash to its root.
   *
   * @return the verified checkpoint
   * @throws MalformedNoteException if the checkpoint is malformed
   * @throws NoteVerificationException if the checkpoint is not the log's or its size differs
   *     ({@code receipt.size-mismatch})
   * @throws ProofVerificationException if the entry is not at this index in that tree
   */
  public Checkpoint verify(byte[] entry, CheckpointVerifier verifier)
      throws MalformedNoteException, NoteVerificationException, ProofVerificationException {
    Checkpoint cp = verifier.verify(checkpoint);
    if (cp.size() != treeSize) {
      throw new NoteVerificationException(
          "receipt.size-mismatch",
          "receipt is for tree size " + treeSize + " but its checkpoint has size " + cp.size());
    }
    MerkleVerifier.verifyInclusion(
        index, treeSize, MerkleHashes.leafHash(entry), proof, cp.rootHash());
    return cp;
  }

  /** The JSON form described above. */
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("index", index);
    n.put("treeSize", treeSize);
    ArrayNode p = n.putArray("proof");
    proof.forEach(h -> p.add(Base64.getEncoder().encodeToString(h)));
    n.put("checkpoint", new String(checkpoint, StandardCharsets.UTF_8));
    return n;
  }

  /**
   * Reads the JSON form; does not verify anything (call {@link #verify}).
   *
   * @throws MalformedNoteException {@code receipt.malformed} if fields are missing or mistyped
   */
  public static Receipt fromJson(JsonNode n) throws MalformedNoteException {
    try {
      if (!n.path("index").canConvertToLong()
          || !n.path("treeSize").canConvertToLong()
          || !n.path("index").isIntegralNumber()
          || !n.path("treeSize").isIntegralNumber()
          || !n.path("proof").isArray()
          || !n.path("checkpoint").isTextual()) {
        throw new IllegalArgumentException(
            "needs integer index and treeSize, proof array, checkpoint text");
      }
      List<byte[]> proof = new ArrayList<>();
      for (JsonNode h : n.get("proof")) {
        if (!h.isTextual()) {
          throw new IllegalArgumentException("proof elements must be base64 strings");
        }
        proof.add(Base64.getDecoder().decode(h.textValue()));
      }
      return new Receipt(
          n.get("index").longValue(),
          n.get("treeSize").longValue(),
          proof,
          n.get("checkpoint").textValue().getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new MalformedNoteException("receipt.malformed", "bad receipt: " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Receipt r)
        || r.index != index
        || r.treeSize != treeSize
        || r.proof.size() != proof.size()
        || !java.util.Arrays.equals(r.checkpoint, checkpoint)) {
      return false;
    }
    for (int i = 0; i < proof.size(); i++) {
      if (!java.util.Arrays.equals(r.proof.get(i), proof.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Long.hashCode(treeSize);
  }

  @Override
  public String toString() {
    return "Receipt[index " + index + ", treeSize " + treeSize + "]";
  }
}
