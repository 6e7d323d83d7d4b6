// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.console;

import dev.arca.attestation.api.ProblemException;
import dev.arca.attestation.api.ProblemType;
import dev.arca.attestation.api.Roles;
import io.quarkus.oidc.IdToken;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The signed-in person as every console page sees them ({@code {inject:console}} in templates): who
 * they are, the sections their roles open, and the token that proves a form was posted from a page
 * of this session.
 *
 * <p>The form token is HMAC-SHA256 keyed with the SHA-256 of the session's ID token, which only the
 * session cookie (encrypted by Quarkus) carries: another site cannot compute it, every replica
 * computes the same one, and it changes with each sign-in. Every console POST checks it ({@link
 * #requireFormToken}) before acting.
 */
@RequestScoped
@Named("console")
public class ConsoleSession {
  /** The form field that carries the token. */
  public static final String FORM_TOKEN = "csrf";

  /** One section of the console: its title, where it is, and what it is for. */
  public record Section(String title, String path, String purpose) {}

  private static final Section AUDIT_LOG =
      new Section(
          "Audit log",
          "/console/audit",
          "Search attestations and decisions; check an entry's proof in this browser");
  private static final Section REPORT =
      new Section(
          "Audit report",
          "/console/report",
          "Who could read which model on which data class, for a period");
  private static final Section POLICIES =
      new Section(
          "Policies",
          "/console/policies",
          "Versions, differences, the impact of a draft, activation");
  private static final Section DEVICES =
      new Section("Devices", "/console/devices", "The fleet: formats, appraisals, revocation");
  private static final Section MODELS =
      new Section("Models", "/console/models", "Model versions, data classes, revocations");

  /** The sections each role opens; an auditor reads everything and changes nothing. */
  private static final Map<String, List<Section>> SECTIONS_BY_ROLE = sectionsByRole();

  @Inject SecurityIdentity identity;
  @Inject @IdToken JsonWebToken idToken;

  /** The signed-in person's user name. */
  public String user() {
    return identity.getPrincipal().getName();
  }

  /** Their console roles, comma-separated. */
  public String roles() {
    List<String> roles = new ArrayList<>();
    SECTIONS_BY_ROLE
        .keySet()
        .forEach(
            r -> {
              if (identity.hasRole(r)) {
                roles.add(r);
              }
            });
    return String.join(", ", roles);
  }

  /** Whether they hold {@code role}. */
  public boolean can(String role) {
    return identity.hasRole(role);
  }

  /** The sections their roles open, each once, in a fixed order. */
  public List<Section> sections() {
    List<Section> out = new ArrayList<>();
    SECTIONS_BY_ROLE.forEach(
        (role, opened) -> {
          if (identity.hasRole(role)) {
            opened.stream().filter(s -> !out.contains(s)).forEach(out::add);
          }
        });
    return out;
  }

  /** The form token of this session, for a hidden field named {@value #FORM_TOKEN}. */
  public String formToken() {
    String raw = idToken == null ? null : idToken.getRawToken();
    if (raw == null) {
      throw new ProblemException(ProblemType.FORBIDDEN, "no console session: sign in again");
    }
    try {
      byte[] key =
          MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.US_ASCII));
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] token = mac.doFinal("arca console form".getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /**
   * Refuses a form that does not carry this session's token (a cross-site request, or a page from
   * an earlier sign-in), comparing in constant time.
   *
   * @throws ProblemException {@code form-token-invalid}
   */
  public void requireFormToken(String posted) {
    byte[] expected = formToken().getBytes(StandardCharsets.US_ASCII);
    byte[] given = posted == null ? new byte[0] : posted.getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given)) {
      throw new ProblemException(
          ProblemType.FORM_TOKEN_INVALID,
          "this form was not posted from a page of your console session; reload the page and"
              + " try again");
    }
  }

  private static Map<String, List<Section>> sectionsByRole() {
    Map<String, List<Section>> m = new LinkedHashMap<>();
    m.put(Roles.AUDITOR, List.of(AUDIT_LOG, REPORT, POLICIES, DEVICES, MODELS));
    m.put(Roles.POLICY_ADMIN, List.of(POLICIES));
    m.put(Roles.DEVICE_ADMIN, List.of(DEVICES));
    m.put(Roles.MODEL_PUBLISHER, List.of(MODELS));
    return Collections.unmodifiableMap(m);
  }
}
