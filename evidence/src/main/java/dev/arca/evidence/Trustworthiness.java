// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An EAR trustworthiness vector (draft-ietf-rats-ear, AR4SI claims): for each claim a value in the
 * AR4SI ranges — 0 no claim, 1 verifier error, 2..31 affirming, 32..95 warning, 96..127
 * contraindicated. Immutable.
 */
public final class Trustworthiness {

  /** The AR4SI trustworthiness claims, with their EAR JSON names. */
  public enum Claim {
    INSTANCE_IDENTITY("instance-identity"),
    CONFIGURATION("configuration"),
    EXECUTABLES("executables"),
    FILE_SYSTEM("file-system"),
    HARDWARE("hardware"),
    RUNTIME_OPAQUE("runtime-opaque"),
    STORAGE_OPAQUE("storage-opaque"),
    SOURCED_DATA("sourced-data");

    private final String jsonName;

    Claim(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The claim's name in EAR. */
    public String jsonName() {
      return jsonName;
    }
  }

  /** Common AR4SI values. */
  public static final int NO_CLAIM = 0;

  public static final int VERIFIER_ERROR = 1;
  public static final int AFFIRMING = 2;
  public static final int WARNING = 32;
  public static final int CONTRAINDICATED = 96;

  /** EAR status tiers derived from the vector. */
  public enum Tier {
    NONE,
    AFFIRMING,
    WARNING,
    CONTRAINDICATED
  }

  private final Map<Claim, Integer> values;

  private Trustworthiness(Map<Claim, Integer> values) {
    this.values = Collections.unmodifiableMap(new EnumMap<>(values));
  }

  public static Trustworthiness empty() {
    return new Trustworthiness(new EnumMap<>(Claim.class));
  }

  /** A copy with {@code claim} set to {@code value} (0..127). */
  public Trustworthiness with(Claim claim, int value) {
    if (value < -128 || value > 127) {
      throw new IllegalArgumentException("AR4SI values are signed 8-bit: " + value);
    }
    EnumMap<Claim, Integer> copy = new EnumMap<>(Claim.class);
    copy.putAll(values);
    copy.put(claim, value);
    return new Trustworthiness(copy);
  }

  /** The value of a claim, {@link #NO_CLAIM} when unset. */
  public int get(Claim claim) {
    return values.getOrDefault(claim, NO_CLAIM);
  }

  /** Claims that are set, in declaration order. */
  public Map<Claim, Integer> values() {
    return values;
  }

  /** The worst tier of any claim: the EAR status this vector supports. */
  public Tier tier() {
    Tier worst = Tier.NONE;
    for (int v : values.values()) {
      Tier t = tierOf(v);
      if (t.compareTo(worst) > 0) {
        worst = t;
      }
    }
    return worst;
  }

  /** The tier of one AR4SI value. A verifier error counts as contraindicated: fail closed. */
  public static Tier tierOf(int value) {
    if (value == NO_CLAIM) {
      return Tier.NONE;
    }
    if (value >= 2 && value <= 31) {
      return Tier.AFFIRMING;
    }
    if (value >= 32 && value <= 95) {
      return Tier.WARNING;
    }
    return Tier.CONTRAINDICATED;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Trustworthiness t && t.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Trustworthiness" + values;
  }
}
