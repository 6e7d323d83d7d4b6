// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.api;

import java.util.regex.Pattern;

/**
 * Names that become URL segments and file names (model ids, reference-value set names): a letter or
 * digit first, then letters, digits, {@code . _ -}, at most 128 characters. The first character
 * rules out {@code .} and {@code ..}, so a name can never walk out of its folder.
 */
public final class Identifiers {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private Identifiers() {}

  /**
   * Returns {@code value} if it is a valid name.
   *
   * @throws ProblemException {@link ProblemType#INVALID_REQUEST} naming the field
   */
  public static String requireName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new ProblemException(
          ProblemType.INVALID_REQUEST,
          field + ": 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return value;
  }
}
