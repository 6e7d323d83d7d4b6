// SPDX-License-Identifier: Apache-2.0
/**
 * C2SP signed notes (c2sp.org/signed-note): text signed by one or more keys, Ed25519 signers and
 * verifier keys in the {@code name+hash+base64} format. Verification follows the spec's rules:
 * signatures by unknown keys are ignored, a failing signature by a known key rejects the whole
 * note, and a note with no verified signature by a known key is rejected.
 */
package dev.arca.transparency.note;
