// SPDX-License-Identifier: Apache-2.0
package dev.arca.transparency.merkle;

/**
 * A complete subtree and its hash, as a store keeps it (for example one row {@code (level, index,
 * hash)}).
 *
 * @param node which subtree
 * @param hash its 32-byte RFC 9162 hash (the array is shared, not copied)
 */
public record StoredNode(NodeId node, byte[] hash) {}
