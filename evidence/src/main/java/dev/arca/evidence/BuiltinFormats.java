package dev.arca.evidence;

import dev.arca.evidence.dev.DevVerifier;
import java.util.List;

/**
 * The evidence formats Arca ships. A static list rather than discovery on the class path, so that
 * no jar dropped beside Arca can add or replace a verifier (a security choice). Add a format with
 * one line here.
 */
public final class BuiltinFormats {
  private BuiltinFormats() {}

  /** A registry of every built-in format. */
  public static EvidenceRegistry registry() {
    return new EvidenceRegistry(verifiers());
  }

  /** Every built-in verifier, in a fixed order. */
  public static List<EvidenceVerifier> verifiers() {
    return List.of(new DevVerifier());
  }
}
