package dev.arca.evidence.tpm2;

import dev.arca.evidence.Claims;
import dev.arca.evidence.ClaimsJson;
import dev.arca.evidence.VerificationContext;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Tpm2VectorTest {
  static final Path GCP = Path.of("src/test/resources/vectors/tpm");
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void gcpShieldedVmQuoteVerifies() throws Exception {
    Tpm2Verifier v = new Tpm2Verifier();
    Claims c = v.verify(v.readEvidence(GCP), VerificationContext.at(AT).build());
    System.out.println(ClaimsJson.toMap(c));
  }
}
