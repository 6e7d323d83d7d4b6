// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A key held by the TPM, as tpm2-tools addresses it: a saved context file or a persistent handle
 * ({@code 0x81010001}), with its public area.
 *
 * @param reference what tpm2-tools' {@code -c} takes: a context file path or a handle in hex
 * @param publicArea the key's TPMT_PUBLIC (TPM 2.0 Part 2 §12.2.4), big-endian, no size prefix
 * @param name the TPM Name: nameAlg (2 bytes) || H(TPMT_PUBLIC) (Part 1 §16)
 */
public record TpmObject(String reference, byte[] publicArea, byte[] name) {
  public TpmObject {
    Objects.requireNonNull(reference, "reference");
    publicArea = publicArea.clone();
    name = name.clone();
  }

  /** A key in a saved context file. */
  static TpmObject ofContext(Path context, byte[] publicArea, byte[] name) {
    return new TpmObject(context.toString(), publicArea, name);
  }

  @Override
  public byte[] publicArea() {
    return publicArea.clone();
  }

  @Override
  public byte[] name() {
    return name.clone();
  }

  /** The Name in lower-case hex. */
  public String nameHex() {
    return HexFormat.of().formatHex(name);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TpmObject t
        && t.reference.equals(reference)
        && java.util.Arrays.equals(t.publicArea, publicArea);
  }

  @Override
  public int hashCode() {
    return reference.hashCode();
  }

  @Override
  public String toString() {
    return "TpmObject[" + reference + ", name=" + nameHex() + "]";
  }
}
