// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import java.util.Objects;

/** One HTTP field line (name, value) as bytes-as-Latin-1 strings; names are lowercase. */
public final class Field {
  private final String name;
  private final String value;

  private Field(String name, String value) {
    this.name = name;
    this.value = value;
  }

  /** A field; the name must be non-empty (RFC 9292 section 3.6). */
  public static Field of(String name, String value) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("field name must not be empty");
    }
    return new Field(name, Objects.requireNonNull(value));
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Field field && field.name.equals(name) && field.value.equals(value);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
