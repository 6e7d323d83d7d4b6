// SPDX-License-Identifier: Apache-2.0
/**
 * RFC 9162 section 2.1 Merkle tree hashing, tree heads, and inclusion and consistency proofs.
 *
 * <p>Generation ({@link dev.arca.transparency.merkle.MerkleProver}) reads only hashes of complete
 * (perfect, aligned) subtrees through {@link dev.arca.transparency.merkle.HashReader}, so a store
 * can keep exactly those hashes (as tlog-tiles do) and answer any proof for any tree size from
 * them. Verification ({@link dev.arca.transparency.merkle.MerkleVerifier}) needs no store.
 */
package dev.arca.transparency.merkle;
