// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceRegistryTest {

  private static EvidenceVerifier fake(String name, String mediaType) {
    FormatDescriptor d = new FormatDescriptor(name, "1", List.of(mediaType));
    return new EvidenceVerifier() {
      @Override
      public FormatDescriptor descriptor() {
        return d;
      }

      @Override
      public Claims verify(byte[] evidence, VerificationContext context) throws EvidenceException {
        throw new EvidenceException("fake.never", "registry tests never verify");
      }
    };
  }

  @Test
  void refusesTwoFormatsWithOneName() {
    assertThatThrownBy(() -> new EvidenceRegistry(List.of(fake("a", "x/1"), fake("a", "x/2"))))
        .hasMessageContaining("two evidence formats are named a");
  }

  @Test
  void refusesTwoFormatsWithOneMediaType() {
    assertThatThrownBy(() -> new EvidenceRegistry(List.of(fake("a", "x/1"), fake("b", "x/1"))))
        .hasMessageContaining("both claim media type x/1");
  }

  @Test
  void builtinsAreConsistent() {
    EvidenceRegistry r = BuiltinFormats.registry();
    assertThat(r.names()).contains("dev");
    for (EvidenceVerifier v : r.verifiers()) {
      for (String mt : v.descriptor().mediaTypes()) {
        assertThat(r.byMediaType(mt)).contains(v);
      }
    }
  }
}
