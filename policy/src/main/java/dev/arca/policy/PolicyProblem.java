// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import java.util.Objects;

/**
 * One reason a policy document was refused at load time, with where it is.
 *
 * <p>Ids are stable and safe to match on; see {@link #YAML}, {@link #SCHEMA}, {@link #CEL_SYNTAX},
 * {@link #CEL_TYPE}, {@link #DUPLICATE_RULE}, {@link #FORBID_OBLIGATIONS}, {@link #UNKNOWN_VALUE},
 * {@link #IO}.
 *
 * @param id stable identifier of the problem class, e.g. {@code policy.cel.type}
 * @param location where the problem is (file, 1-based line and column)
 * @param message what is wrong and what to do, for a person
 */
public record PolicyProblem(String id, SourceLocation location, String message) {

  /** The text is not well-formed YAML, or uses a YAML feature policies refuse (aliases, tags). */
  public static final String YAML = "policy.yaml";

  /** The document does not match the policy JSON schema (missing field, wrong type, ...). */
  public static final String SCHEMA = "policy.schema";

  /** A {@code when} condition is not syntactically valid CEL. */
  public static final String CEL_SYNTAX = "policy.cel.syntax";

  /**
   * A {@code when} condition does not type-check: unknown variable or field, wrong operand type, or
   * a result that is not a bool.
   */
  public static final String CEL_TYPE = "policy.cel.type";

  /** Two rules share a name, so a decision could not say which one decided. */
  public static final String DUPLICATE_RULE = "policy.rule.duplicate-name";

  /** A forbid rule carries obligations, which could never apply (a forbid always denies). */
  public static final String FORBID_OBLIGATIONS = "policy.rule.forbid-obligations";

  /**
   * A condition compares an enumerated variable (such as {@code evidence.earStatus}) with a string
   * literal that it can never hold, so the comparison is always false (usually a typo).
   */
  public static final String UNKNOWN_VALUE = "policy.cel.unknown-value";

  /** The file could not be read. */
  public static final String IO = "policy.io";

  public PolicyProblem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:column: error [id]: message}. */
  @Override
  public String toString() {
    return location + ": error [" + id + "]: " + message;
  }
}
