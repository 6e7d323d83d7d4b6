// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Base of every failure raised by Arca's crypto module.
 *
 * <p>Each failure carries a stable {@link #id()} such as {@code seal.segment-tampered}: callers
 * (service, runtime, CLI) branch and report on the id, never on the message. Messages say what was
 * wrong and what to do about it; they never contain key bytes, plaintext or other secrets.
 * Subclasses group the ids by area: {@link dev.arca.crypto.seal.SealException}, {@link
 * dev.arca.crypto.hpke.HpkeException}, {@link dev.arca.crypto.ohttp.OhttpException}, {@link
 * dev.arca.crypto.kek.KekException}, {@link dev.arca.crypto.sign.SignatureException}, {@link
 * dev.arca.crypto.bhttp.BhttpException}.
 */
public class ArcaCryptoException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  private final String id;

  protected ArcaCryptoException(String id, String message) {
    super(Objects.requireNonNull(id, "id") + ": " + Objects.requireNonNull(message, "message"));
    this.id = id;
  }

  protected ArcaCryptoException(String id, String message, Throwable cause) {
    super(
        Objects.requireNonNull(id, "id") + ": " + Objects.requireNonNull(message, "message"),
        cause);
    this.id = id;
  }

  /** The stable failure id, {@code <area>.<what>}, e.g. {@code ohttp.unknown-key-id}. */
  public String id() {
    return id;
  }
}
