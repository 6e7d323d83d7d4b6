// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bhttp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A Binary HTTP request (RFC 9292 section 3.4): control data, fields, content, trailers. */
public final class BhttpRequest {
  private final String method;
  private final String scheme;
  private final String authority;
  private final String path;
  private final List<Field> fields;
  private final byte[] content;
  private final List<Field> trailers;

  public BhttpRequest(
      String method,
      String scheme,
      String authority,
      String path,
      List<Field> fields,
      byte[] content,
      List<Field> trailers) {
    this.method = Objects.requireNonNull(method);
    this.scheme = Objects.requireNonNull(scheme);
    this.authority = Objects.requireNonNull(authority);
    this.path = Objects.requireNonNull(path);
    this.fields = List.copyOf(fields);
    this.content = content.clone();
    this.trailers = List.copyOf(trailers);
  }

  public String method() {
    return method;
  }

  public String scheme() {
    return scheme;
  }

  public String authority() {
    return authority;
  }

  public String path() {
    return path;
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
    if (!(o instanceof BhttpRequest r)) {
      return false;
    }

    return r.method.equals(method)
        && r.scheme.equals(scheme)
        && r.authority.equals(authority)
        && r.path.equals(path)
        && r.fields.equals(fields)
        && Arrays.equals(r.content, content)
        && r.trailers.equals(trailers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, scheme, authority, path, fields, trailers);
  }

  @Override
  public String toString() {
    return method
        + " "
        + scheme
        + "://"
        + authority
        + path
        + " "
        + fields
        + " ("
        + content.length
        + " bytes)";
  }
}
