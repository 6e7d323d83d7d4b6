// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.service;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The W3C Trace Context of one attestation: its challenge and its attestation request carry one
 * trace id in {@code traceparent}, each with a span id of its own, so a service with tracing on
 * (OpenTelemetry) shows the attestation as one trace. The ids are random and say nothing about the
 * device; a service with tracing off ignores the header.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 */
public record TraceContext(String traceId) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  public TraceContext {
    if (!traceId.matches("[0-9a-f]{32}") || traceId.matches("0+")) {
      throw new IllegalArgumentException("a trace id is 32 hex digits, not all zero");
    }
  }

  /** A new trace. */
  public static TraceContext start() {
    return new TraceContext(HEX.formatHex(nonZero(16)));
  }

  /** The {@code traceparent} header of one request of this trace: a new span id, sampled. */
  public String traceparent() {
    return "00-" + traceId + "-" + HEX.formatHex(nonZero(8)) + "-01";
  }

  private static byte[] nonZero(int length) {
    byte[] id = new byte[length];
    do {
      RANDOM.nextBytes(id);
    } while (java.util.Arrays.equals(id, new byte[length]));
    return id;
  }
}
