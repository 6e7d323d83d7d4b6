// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

/** Builder checks for fields that must be set explicitly (no safe default exists). */
final class Required {
  private Required() {}

  static void check(Object value, String name) {
    if (value == null) {
      throw new IllegalStateException(name + " must be set");
    }
  }
}
