// SPDX-License-Identifier: Apache-2.0
package dev.arca.policy;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The typed variables every policy condition sees, declared once. The CEL checker uses these struct
 * types so an unknown field or a wrong operand type is a load-time error; at run time the same
 * shapes are passed as maps built from a {@link DecisionInput}. Keep this class, {@link
 * #activation(DecisionInput)} and the README's variables table in step.
 */
final class PolicyVariables {

  static final String DEVICE = "device";
  static final String EVIDENCE = "evidence";
  static final String MODEL = "model";
  static final String DATA = "data";
  static final String REQUEST = "request";
  static final String TIME = "time";

  static final StructType ENROLMENT =
      struct(
          "arca.policy.Enrolment",
          field("method", SimpleType.STRING),
          field("enrolledAt", SimpleType.TIMESTAMP));

  static final StructType DEVICE_TYPE =
      struct(
          "arca.policy.Device",
          field("id", SimpleType.STRING),
          field("class", SimpleType.STRING),
          field("site", SimpleType.STRING),
          field("owner", SimpleType.STRING),
          field("attributes", MapType.create(SimpleType.STRING, SimpleType.STRING)),
          field("enrolment", ENROLMENT),
          field("revoked", SimpleType.BOOL));

  static final StructType EVIDENCE_TYPE =
      struct(
          "arca.policy.Evidence",
          field("format", SimpleType.STRING),
          field("hardwareRooted", SimpleType.BOOL),
          field("debug", SimpleType.BOOL),
          field("tcbStatus", SimpleType.STRING),
          field("measurements", MapType.create(SimpleType.STRING, SimpleType.STRING)),
          field("earStatus", SimpleType.STRING),
          field("trustVector", MapType.create(SimpleType.STRING, SimpleType.INT)),
          field("claims", MapType.create(SimpleType.STRING, SimpleType.DYN)));

  static final StructType MODEL_TYPE =
      struct(
          "arca.policy.Model",
          field("id", SimpleType.STRING),
          field("version", SimpleType.INT),
          field("labels", MapType.create(SimpleType.STRING, SimpleType.STRING)),
          field("dataClasses", ListType.create(SimpleType.STRING)),
          field("publisher", SimpleType.STRING));

  static final StructType DATA_TYPE = struct("arca.policy.Data", field("class", SimpleType.STRING));

  static final StructType REQUEST_TYPE =
      struct("arca.policy.Request", field("purpose", SimpleType.STRING));

  /** Variable name to its CEL type, in documentation order. */
  static final Map<String, CelType> VARIABLES = variables();

  /**
   * Fields whose values are enumerated, so a string literal compared with them can be checked at
   * load time ({@link PolicyProblem#UNKNOWN_VALUE}).
   */
  static final Map<String, Set<String>> ENUMERATED_FIELDS =
      Map.of(
          "evidence.tcbStatus", Set.of("up-to-date", "out-of-date", "unknown"),
          "evidence.earStatus", Set.of("affirming", "warning", "contraindicated", "none"));

  static final CelTypeProvider TYPES =
      new CelTypeProvider() {
        private final ImmutableList<CelType> all =
            ImmutableList.of(
                ENROLMENT, DEVICE_TYPE, EVIDENCE_TYPE, MODEL_TYPE, DATA_TYPE, REQUEST_TYPE);

        @Override
        public ImmutableCollection<CelType> types() {
          return all;
        }

        @Override
        public Optional<CelType> findType(String name) {
          for (CelType t : all) {
            if (t.name().equals(name)) {
              return Optional.of(t);
            }
          }
          return Optional.empty();
        }
      };

  private PolicyVariables() {}

  private static Map<String, CelType> variables() {
    Map<String, CelType> v = new LinkedHashMap<>();
    v.put(DEVICE, DEVICE_TYPE);
    v.put(EVIDENCE, EVIDENCE_TYPE);
    v.put(MODEL, MODEL_TYPE);
    v.put(DATA, DATA_TYPE);
    v.put(REQUEST, REQUEST_TYPE);
    v.put(TIME, SimpleType.TIMESTAMP);
    return Map.copyOf(v);
  }

  private record Field(String name, CelType type) {}

  private static Field field(String name, CelType type) {
    return new Field(name, type);
  }

  // frozen is Map.copyOf(...), which is unmodifiable; the checker only sees the Map type.
  @SuppressWarnings("Immutable")
  private static StructType struct(String name, Field... fields) {
    Map<String, CelType> types = new LinkedHashMap<>();
    for (Field f : fields) {
      types.put(f.name(), f.type());
    }
    Map<String, CelType> frozen = Map.copyOf(types);
    return StructType.create(
        name, ImmutableSet.copyOf(types.keySet()), f -> Optional.ofNullable(frozen.get(f)));
  }

  /**
   * The run-time values of the variables, shaped exactly as declared above (every field present,
   * CEL's Java value types), so evaluation never meets a missing field of a declared struct.
   */
  static Map<String, Object> activation(DecisionInput in) {
    DeviceFacts d = in.device();
    Map<String, Object> device = new HashMap<>(12);
    device.put("id", d.id());
    device.put("class", d.deviceClass());
    device.put("site", d.site());
    device.put("owner", d.owner());
    device.put("attributes", d.attributes());
    device.put("enrolment", Map.of("method", d.enrolmentMethod(), "enrolledAt", d.enrolledAt()));
    device.put("revoked", d.revoked());

    EvidenceFacts e = in.evidence();
    Map<String, Object> evidence = new HashMap<>(12);
    evidence.put("format", e.format());
    evidence.put("hardwareRooted", e.hardwareRooted());
    evidence.put("debug", e.debug());
    evidence.put("tcbStatus", e.tcbStatus().celValue());
    evidence.put("measurements", e.measurements());
    evidence.put("earStatus", e.earStatus().celValue());
    Map<String, Long> trust = new HashMap<>();
    e.trustVector().forEach((k, v) -> trust.put(k, v.longValue()));
    evidence.put("trustVector", trust);
    evidence.put("claims", e.claims());

    ModelFacts m = in.model();
    Map<String, Object> model = new HashMap<>(8);
    model.put("id", m.id());
    model.put("version", m.version());
    model.put("labels", m.labels());
    model.put("dataClasses", List.copyOf(m.dataClasses()));
    model.put("publisher", m.publisher());

    Map<String, Object> vars = new HashMap<>(8);
    vars.put(DEVICE, device);
    vars.put(EVIDENCE, evidence);
    vars.put(MODEL, model);
    vars.put(DATA, Map.of("class", in.dataClass()));
    vars.put(REQUEST, Map.of("purpose", in.purpose()));
    vars.put(TIME, in.time());
    return vars;
  }
}
