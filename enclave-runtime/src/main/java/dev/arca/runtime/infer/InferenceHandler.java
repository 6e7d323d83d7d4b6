// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.infer;

import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceMessages.Answer;
import dev.arca.client.infer.InferenceMessages.Refusal;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorType;
import dev.arca.crypto.seal.Manifest;
import dev.arca.crypto.seal.TensorSpec;
import dev.arca.evidence.usage.UsageReport;
import dev.arca.runtime.lease.Lease;
import dev.arca.runtime.lease.LeaseException;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.model.ModelHost;
import dev.arca.runtime.model.ModelLoadException;
import dev.arca.runtime.usage.UsageCounts;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Answers one decrypted inference request: checks that the model is served, that its lease covers
 * the request's data class and has not ended (nor been refused by the service), that the grant's
 * {@code maxRequestsPerMinute} is not used up in the current minute of {@code clock}, and that the
 * tensors match the model's signed manifest, then runs it. Every refusal is a {@link Refusal} with
 * a stable id and status, answered inside the encryption ({@link InferenceTarget}); nothing about
 * the request leaks in plaintext. Every request is counted for the usage reports ({@link
 * UsageCounts}). Thread-safe.
 */
public final class InferenceHandler {
  private final ModelHost models;
  private final Clock clock;
  private final Supplier<Standing> standing;
  private final RequestRate rate = new RequestRate();
  private final UsageCounts usage;

  /**
   * @param standing what the runtime last heard from the service: online, leases end at their
   *     {@code expiresAt}; offline, at their offline allowance; refused, every request is refused
   *     with {@code lease.refused}
   * @param usage where each request is counted, served or refused, for the usage reports
   */
  public InferenceHandler(
      ModelHost models, Clock clock, Supplier<Standing> standing, UsageCounts usage) {
    this.models = models;
    this.clock = clock;
    this.standing = standing;
    this.usage = usage;
  }

  /** A handler whose counts go to a tally of its own (tests that read no usage). */
  public InferenceHandler(ModelHost models, Clock clock, Supplier<Standing> standing) {
    this(models, clock, standing, new UsageCounts(clock.instant()));
  }

  /**
   * Handles one decoded request; returns the answer (a response or a refusal). Each request is
   * counted under the model and version that answered or would have, and under its data class when
   * the lease covers it; a model not served here and an uncovered class count as {@link
   * UsageReport#UNLISTED}, so request contents never reach a report.
   */
  public Answer handle(InferenceMessages.Request request) {
    Standing now = standing.get();
    Optional<ModelHost.Use> use = models.use(request.modelId());
    if (use.isEmpty()) {
      usage.count(UsageReport.UNLISTED, 0, UsageReport.UNLISTED, false);
      return refusedRuntime(now)
          .orElseGet(
              () ->
                  new Refusal(
                      "infer.unknown-model",
                      "model '" + request.modelId() + "' is not served here"));
    }
    try (ModelHost.Use u = use.get()) {
      Lease lease = u.model().lease();
      Answer answer = refusedRuntime(now).orElseGet(() -> run(request, u, lease, now));
      usage.count(
          lease.modelId(),
          lease.version(),
          lease.dataClasses().contains(request.dataClass())
              ? request.dataClass()
              : UsageReport.UNLISTED,
          answer instanceof InferenceMessages.Response);
      return answer;
    }
  }

  /** The refusal of every request while the service refuses this runtime. */
  private static Optional<Answer> refusedRuntime(Standing now) {
    if (now instanceof Standing.Refused r) {
      return Optional.of(
          new Refusal(
              "lease.refused",
              "the attestation service refused this runtime (HTTP "
                  + r.status()
                  + " "
                  + r.type()
                  + "); it serves nothing until it attests again"));
    }
    return Optional.empty();
  }

  private Answer run(
      InferenceMessages.Request request, ModelHost.Use u, Lease lease, Standing now) {
    try {
      Instant at = clock.instant();
      lease.check(request.dataClass(), at, now.online());
      OptionalInt limit = lease.obligations().maxRequestsPerMinute();
      if (limit.isPresent()
          && !rate.admit(request.modelId(), request.dataClass(), limit.getAsInt(), at)) {
        return new Refusal(
            "infer.rate-limited",
            "model "
                + request.modelId()
                + " is granted "
                + limit.getAsInt()
                + " requests per minute on "
                + request.dataClass()
                + " data; try again from "
                + RequestRate.nextWindow(at));
      }
      Manifest manifest = u.model().manifest();
      checkSignature(manifest, request.inputs());
      Map<String, Tensor> outputs = u.model().model().run(request.inputs());
      return new InferenceMessages.Response(manifest.modelId(), manifest.version(), outputs);
    } catch (LeaseException e) {
      return new Refusal(e.id(), e.getMessage());
    } catch (TensorFormatException e) {
      return new Refusal(e.id(), e.getMessage());
    } catch (ModelLoadException e) {
      return new Refusal("infer.model-failed", e.getMessage());
    }
  }

  /** The inputs must be exactly the manifest's, with its types and shapes (-1 = any). */
  static void checkSignature(Manifest manifest, Map<String, Tensor> inputs)
      throws TensorFormatException {
    if (inputs.size() != manifest.inputs().size()) {
      throw mismatch(
          "the model takes " + manifest.inputs().size() + " inputs, got " + inputs.size());
    }
    for (TensorSpec spec : manifest.inputs()) {
      Tensor t = inputs.get(spec.name());
      if (t == null) {
        throw mismatch("input '" + spec.name() + "' is missing");
      }
      if (t.type() != TensorType.ofManifestName(spec.elementType())) {
        throw mismatch(
            "input '"
                + spec.name()
                + "' must be "
                + spec.elementType()
                + ", got "
                + t.type().manifestName());
      }
      long[] want = spec.shape();
      long[] got = t.shape();
      boolean ok = want.length == got.length;
      for (int i = 0; ok && i < want.length; i++) {
        ok = want[i] == -1 || want[i] == got[i];
      }
      if (!ok) {
        throw mismatch(
            "input '"
                + spec.name()
                + "' must have shape "
                + java.util.Arrays.toString(want)
                + ", got "
                + java.util.Arrays.toString(got));
      }
    }
  }

  private static TensorFormatException mismatch(String message) {
    return new TensorFormatException("infer.tensor-mismatch", message);
  }
}
