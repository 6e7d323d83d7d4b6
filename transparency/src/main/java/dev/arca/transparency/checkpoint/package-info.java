// SPDX-License-Identifier: Apache-2.0
/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the signed tree head of a log as a signed note
 * whose text is origin, tree size, base64 root hash and optional extension lines.
 */
package dev.arca.transparency.checkpoint;
