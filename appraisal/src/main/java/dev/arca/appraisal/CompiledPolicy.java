// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

/** A compiled, immutable policy: its identity and its decision function. Thread-safe. */
public interface CompiledPolicy {
  String name();

  long version();

  /** SHA-256 (lowercase hex) of the document's UTF-8 text: its digest in the audit log. */
  String sha256();

  /**
   * Whether the document lets a device of hardware evidence {@code format} be appraised when no
   * reference-value set applies to it ({@code appraisal.withoutReferenceValues}); false unless said
   * explicitly.
   */
  boolean allowsWithoutReferenceValues(String format);

  /** Decides one request; never throws for a well-formed query (errors deny). */
  PolicyOutcome decide(PolicyQuery query);
}
