package dev.arca.audit;

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
    return of(
        device.id(),
        device.format(),
        device.attributes(),
        device.enrolledAt(),
        claims,
        appraisal,
        model,
        dataClass,
        purpose,
        time);
  }

  /**
   * The same, from the device's fields (what the service has in hand).
   *
   * @param deviceId the device id
   * @param enrolmentMethod the format the device enrolled with
   * @param attrs the device's attributes ({@code class}, {@code site}, {@code owner}, ...)
   * @param enrolledAt when it enrolled
   */
  public static DecisionInput of(
      String deviceId,
      String enrolmentMethod,
      Map<String, String> attrs,
      Instant enrolledAt,
      Claims claims,
      AppraisalStatus appraisal,
      AppraisalRecord.Model model,
      String dataClass,
      String purpose,
      Instant time) {
    Map<String, Object> raw = new LinkedHashMap<>(claims.raw());
    raw.put("securityLevel", claims.securityLevel());
    raw.put("insecureFlags", claims.insecureFlags());
    raw.put("tcb", claims.tcb());
    return DecisionInput.builder()
        .device(
            DeviceFacts.builder()
                .id(deviceId)
                .deviceClass(attrs.getOrDefault("class", ""))
                .site(attrs.getOrDefault("site", ""))
                .owner(attrs.getOrDefault("owner", ""))
                .attributes(attrs)
                .enrolmentMethod(enrolmentMethod)
                .enrolledAt(enrolledAt)
                .revoked(false)
                .build())
        .evidence(
            EvidenceFacts.builder()
                .format(claims.format())
                .hardwareRooted(claims.hardwareRooted())
                .debug(claims.debug())
                .tcbStatus(TcbStatus.UNKNOWN)
                .measurements(claims.measurements())
                .earStatus(EarStatus.fromCelValue(appraisal.status()))
                .trustVector(appraisal.trustVector())
                .claims(raw)
                .build())
        .model(
            ModelFacts.builder()
                .id(model.id())
                .version(model.version())
                .labels(Map.of())
                .dataClasses(model.dataClasses())
                .publisher(model.publisher())
                .build())
        .dataClass(dataClass)
        .purpose(purpose)
        .time(time)
        .build();
  }
}
