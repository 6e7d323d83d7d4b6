// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code arca demo --keep} prints after its last step: every address, user and command to
 * explore the stack it leaves running. A pure function of the stack's addresses, so what it says is
 * tested (every command parses with the real command line) without starting anything.
 */
final class ExploreGuide {
  /**
   * The realm's people (attestation-service/src/main/keycloak/arca-realm.json), each with the
   * password {@code <user>-pw}: development credentials published in the repository.
   */
  static final List<String> USERS =
      List.of("policy-admin", "model-publisher", "device-admin", "auditor");

  private static final List<String> ROLES =
      List.of(
          "applies policies and reference values",
          "publishes sealed models",
          "enrols and revokes devices",
          "searches and verifies the audit log");

  /**
   * The running stack.
   *
   * @param service the attestation service
   * @param keycloak Keycloak's base URL
   * @param realm the demo realm's issuer URL
   * @param tpmRuntime the TPM-attested runtime, {@code null} without a software TPM
   * @param devRuntime the dev-attested runtime
   * @param config the configuration folder holding every user's cached token
   * @param tokensExpire when those tokens expire
   * @param input a request tensor the bundled model (or {@code --model}) takes
   * @param inputName the model's input that tensor is for
   * @param dataClass the data class the demo's application sent
   * @param arca how to run the command line, e.g. the repository's {@code ./arca} script
   */
  record Stack(
      URI service,
      String keycloak,
      String realm,
      URI tpmRuntime,
      URI devRuntime,
      Path config,
      Instant tokensExpire,
      Path input,
      String inputName,
      String dataClass,
      String arca) {
    /** Where the application's request goes: the TPM runtime when there is one. */
    URI target() {
      return tpmRuntime != null ? tpmRuntime : devRuntime;
    }
  }

  private ExploreGuide() {}

  /**
   * The {@code arca} commands to try, as argument lists (without the program), each with the
   * profile whose token it uses; the last one renews that token ({@code arca login}).
   */
  static List<List<String>> commands(Stack s) {
    String svc = s.service().toString();
    return List.of(
        List.of("audit", "verify", "--service", svc, "--as", "auditor"),
        List.of("audit", "search", "--service", svc, "--as", "auditor", "--limit", "5"),
        List.of("policy", "list", "--service", svc, "--as", "policy-admin"),
        List.of("model", "list", "--service", svc, "--as", "model-publisher"),
        List.of("device", "list", "--service", svc, "--as", "device-admin"),
        List.of(
            "infer",
            "--runtime",
            s.target().toString(),
            "--service",
            svc,
            "--model",
            DemoRun.MODEL_ID,
            "--data-class",
            s.dataClass(),
            "--input",
            s.input().toString(),
            "--input-name",
            s.inputName()),
        List.of("login", "--issuer", s.realm(), "--as", "policy-admin"));
  }

  /** The block printed, line by line. */
  static List<String> lines(Stack s) {
    List<String> l = new ArrayList<>();
    l.add("");
    l.add("The stack keeps running (--keep). Explore it; Ctrl-C stops everything.");
    l.add("");
    l.add("  attestation service  " + s.service());
    l.add("    health             " + s.service().resolve("/q/health"));
    l.add("    OpenAPI            " + s.service().resolve("/q/openapi"));
    l.add(
        "  web console          "
            + s.service().resolve("/console")
            + "  (sign in as a user below)");
    l.add("  Keycloak             " + s.keycloak());
    l.add("    realm (issuer)     " + s.realm());
    l.add("    account console    " + s.realm() + "/account");
    l.add("    (the demo creates no Keycloak administrator: the realm's users sign in above)");
    if (s.tpmRuntime() != null) {
      l.add("  TPM runtime          " + s.tpmRuntime() + "  (/healthz, /v1/attestation)");
    }
    l.add("  dev runtime          " + s.devRuntime() + "  (/healthz, /v1/attestation)");
    l.add("");
    l.add("  users (user / password):");
    for (int i = 0; i < USERS.size(); i++) {
      String user = USERS.get(i);
      l.add(String.format("    %-34s %s", user + " / " + user + "-pw", ROLES.get(i)));
    }
    l.add(
        "  their tokens are cached in "
            + s.config()
            + " until "
            + s.tokensExpire()
            + "; then log in again (last command)");
    l.add("");
    l.add("Try, in another terminal:");
    l.add("  export " + shell(List.of("ARCA_CONFIG_DIR=" + s.config())));
    for (List<String> c : commands(s)) {
      l.add("  " + s.arca() + " " + shell(c));
    }
    l.add("  curl " + s.target().resolve("/healthz"));
    return l;
  }

  /**
   * What a run without {@code --keep} prints last: where the web console was and whom to sign in
   * as, and how to keep it up.
   */
  static List<String> console(URI service) {
    List<String> l = new ArrayList<>();
    l.add("");
    l.add("Web console, for auditors and security teams: " + service.resolve("/console"));
    List<String> users = new ArrayList<>();
    USERS.forEach(u -> users.add(u + " / " + u + "-pw"));
    l.add("  sign in as " + String.join(", ", users));
    l.add("  it stopped with this run: ./arca demo --keep keeps the whole stack up until Ctrl-C");
    return l;
  }

  /** {@code args} as one shell line: an argument with anything unusual in single quotes. */
  static String shell(List<String> args) {
    List<String> quoted = new ArrayList<>();
    for (String a : args) {
      quoted.add(a.matches("[A-Za-z0-9_./:=@,+%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return String.join(" ", quoted);
  }
}
