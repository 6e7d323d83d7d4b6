package dev.arca.attestation.appraisal;

/** A compiled, immutable policy: its identity and its decision function. Thread-safe. */
public interface CompiledPolicy {
  String name();

  long version();

  /** Decides one request; never throws for a well-formed query (errors deny). */
  PolicyOutcome decide(PolicyQuery query);
}
