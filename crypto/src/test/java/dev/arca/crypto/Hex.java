// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto;

import java.util.HexFormat;

/** Test helper: lowercase hex. */
public final class Hex {
  private Hex() {}

  public static byte[] decode(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  public static String encode(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
