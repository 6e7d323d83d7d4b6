// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.hpke;

/** HPKE modes, RFC 9180 section 5 (Table 1). */
public enum HpkeMode {
  BASE(0x00),
  PSK(0x01),
  AUTH(0x02),
  AUTH_PSK(0x03);

  private final int id;

  HpkeMode(int id) {
    this.id = id;
  }

  /** The one-byte mode identifier. */
  public int id() {
    return id;
  }

  boolean usesPsk() {
    return this == PSK || this == AUTH_PSK;
  }

  boolean usesSenderKey() {
    return this == AUTH || this == AUTH_PSK;
  }

  /** Looks up a mode by id; throws {@code hpke.unsupported-suite} for an unknown one. */
  public static HpkeMode fromId(int id) throws HpkeException {
    for (HpkeMode m : values()) {
      if (m.id == id) {
        return m;
      }
    }
    throw new HpkeException(HpkeException.UNSUPPORTED_SUITE, "unknown HPKE mode " + id);
  }
}
