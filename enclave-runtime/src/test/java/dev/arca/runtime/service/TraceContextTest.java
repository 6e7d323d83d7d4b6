// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceContextTest {

  @Test
  void eachRequestOfATraceHasTheTraceIdAndASpanIdOfItsOwn() {
    TraceContext trace = TraceContext.start();
    String first = trace.traceparent();
    String second = trace.traceparent();

    assertThat(first).matches("00-" + trace.traceId() + "-[0-9a-f]{16}-01");
    assertThat(second).startsWith("00-" + trace.traceId() + "-").isNotEqualTo(first);
    assertThat(TraceContext.start().traceId()).isNotEqualTo(trace.traceId());
  }

  @Test
  void anInvalidTraceIdIsRefused() {
    assertThatThrownBy(() -> new TraceContext("0".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TraceContext("ABCDEF".repeat(5) + "00"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
