// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Binary HTTP response (RFC 9292 section 3.5): informational responses, final status, fields,
 * content, trailers.
 */
public final class BhttpResponse {
  /** An informational (1xx) response with its fields. */
  public static final class Informational {
    private final int status;
    private final List<Field> fields;

    public Informational(int status, List<Field> fields) {
      if (status < 100 || status > 199) {
        throw new IllegalArgumentException("informational status must be 100..199");
      }
      this.status = status;
      this.fields = List.copyOf(fields);
    }

    public int status() {
      return status;
    }

    public List<Field> fields() {
      return fields;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Informational informational
          && informational.status == status
          && informational.fields.equals(fields);
    }

    @Override
    public int hashCode() {
      return status * 31 + fields.hashCode();
    }
  }

  private final List<Informational> informational;
  private final int status;
  private final List<Field> fields;
  private final byte[] content;
  private final List<Field> trailers;

  public BhttpResponse(
      List<Informational> informational,
      int status,
      List<Field> fields,
      byte[] content,
      List<Field> trailers) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("final status must be 200..599");
    }
    this.informational = List.copyOf(informational);
    this.status = status;
    this.fields = List.copyOf(fields);
    this.content = content.clone();
    this.trailers = List.copyOf(trailers);
  }

  /** A final response without informational responses or trailers. */
  public static BhttpResponse of(int status, List<Field> fields, byte[] content) {
    return new BhttpResponse(List.of(), status, fields, content, List.of());
  }

  public List<Informational> informational() {
    return informational;
  }

  public int status() {
    return status;
  }

  public List<Field> fields() {
    return fields;
  }

  /** The content (a copy). */
  public byte[] content() {
    return content.clone();
  }

  public List<Field> trailers() {
    return trailers;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BhttpResponse r)) {
      return false;
    }

    return r.informational.equals(informational)
        && r.status == status
        && r.fields.equals(fields)
        && Arrays.equals(r.content, content)
        && r.trailers.equals(trailers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(informational, status, fields, trailers);
  }

  @Override
  public String toString() {
    return status + " " + fields + " (" + content.length + " bytes)";
  }
}
