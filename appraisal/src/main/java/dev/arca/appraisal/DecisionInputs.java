// SPDX-License-Identifier: Apache-2.0
package dev.arca.appraisal;

import dev.arca.evidence.Claims;
import dev.arca.policy.DecisionInput;
import dev.arca.policy.DeviceFacts;
import dev.arca.policy.EarStatus;
import dev.arca.policy.EvidenceFacts;
import dev.arca.policy.ModelFacts;
import dev.arca.policy.TcbStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one mapping from an appraisal to the policy module's typed variables. The service decides
 * with it and {@link AppraisalReplay} re-decides with it, so a replay feeds the policy exactly what
 * the service fed it.
 */
public final class DecisionInputs {
  private DecisionInputs() {}

  /**
   * Assembles the policy's decision input from an appraisal's parts.
   *
   * @param device the enrolled device as recorded (never revoked at a decision)
   * @param claims the verified claims
   * @param appraisal the appraisal's status and vector
   * @param model the model version decided on
   * @param dataClass the data class requested
   * @param purpose the purpose requested
   * @param time the decision time
   */
  public static DecisionInput of(
      AppraisalRecord.Device device,
      Claims claims,
      AppraisalStatus appraisal,
      AppraisalRecord.Model model,
      String dataClass,
      String purpose,
      Instant time) {
    Map<String, String> attrs = device.attributes();
    Map<String, Object> raw = new LinkedHashMap<>(claims.raw());
    raw.put("securityLevel", claims.securityLevel());
    raw.put("insecureFlags", claims.insecureFlags());
    raw.put("tcb", claims.tcb());
    return DecisionInput.builder()
        .device(
            DeviceFacts.builder()
                .id(device.id())
                .deviceClass(attrs.getOrDefault("class", ""))
                .site(attrs.getOrDefault("site", ""))
                .owner(attrs.getOrDefault("owner", ""))
                .attributes(attrs)
                .enrolmentMethod(device.format())
                .enrolledAt(device.enrolledAt())
                .revoked(false)
                .build())
        .evidence(
            EvidenceFacts.builder()
                .format(claims.format())
                .hardwareRooted(claims.hardwareRooted())
                .debug(claims.debug())
                .tcbStatus(tcbStatus(claims))
                .measurements(claims.measurements())
                .earStatus(EarStatus.fromCelValue(appraisal.status()))
                .trustVector(appraisal.trustVector())
                .claims(raw)
                .build())
        .model(
            ModelFacts.builder()
                .id(model.id())
                .version(model.version())
                .labels(model.labels())
                .dataClasses(model.dataClasses())
                .publisher(model.publisher())
                .build())
        .dataClass(dataClass)
        .purpose(purpose)
        .time(time)
        .build();
  }

  /**
   * The platform's TCB status as the verifier reported it in {@code tcb.tcbStatus} (TDX: Intel's
   * status against the uploaded TCB info): {@code UpToDate} is up to date; any {@code OutOfDate*}
   * status and {@code Revoked} are out of date; anything else, or no status (formats without TCB
   * collateral), is unknown, which a policy must not read as up to date.
   */
  static TcbStatus tcbStatus(Claims claims) {
    String reported = claims.tcb().get("tcbStatus");
    if (reported == null) {
      return TcbStatus.UNKNOWN;
    }
    if (reported.equals("UpToDate")) {
      return TcbStatus.UP_TO_DATE;
    }
    return reported.startsWith("OutOfDate") || reported.equals("Revoked")
        ? TcbStatus.OUT_OF_DATE
        : TcbStatus.UNKNOWN;
  }
}
