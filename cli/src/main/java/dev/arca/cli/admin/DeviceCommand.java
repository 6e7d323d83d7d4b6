// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.tpm.DeviceKeys;
import dev.arca.tpm.TpmEnroller;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code arca device}: enrol, list and revoke devices (role device-admin; list also auditor). */
@Command(
    name = "device",
    mixinStandardHelpOptions = true,
    description = "Enrol, list and revoke devices on the attestation service.",
    subcommands = {
      DeviceCommand.Enroll.class,
      DeviceCommand.ListDevices.class,
      DeviceCommand.Revoke.class
    })
public final class DeviceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "enroll",
      mixinStandardHelpOptions = true,
      description = {
        "Enrol a device. dev: --public-key (the base64 Ed25519 key the runtime prints at start);"
            + " tpm2: --tpm and --state on the device itself (EK certificate + credential"
            + " activation, both steps); other formats: --enrolment <json file>.",
        "Exit codes: 0 enrolled, 1 refused by the service, 2 usage or unreachable."
      })
  static final class Enroll extends ServiceCall {
    @Option(names = "--id", required = true, description = "Device id.")
    String id;

    @Option(
        names = "--format",
        defaultValue = "dev",
        description = "Evidence format (default dev).")
    String format;

    @Option(names = "--public-key", description = "dev: the device's public key, base64.")
    String publicKey;

    @Option(names = "--enrolment", paramLabel = "<file>", description = "Enrolment JSON file.")
    Path enrolment;

    @Option(
        names = "--tpm",
        paramLabel = "<device|swtpm:host:port>",
        description = "tpm2: the device's TPM (/dev/tpmrm0 or swtpm:<host>:<port>).")
    String tpm;

    @Option(
        names = "--state",
        paramLabel = "<dir>",
        description = "tpm2: the runtime's state folder, where its AK blobs are (or will be).")
    Path state;

    @Option(
        names = "--ek-chain",
        paramLabel = "<pem file>",
        description = "tpm2: the EK certificate's intermediates (PEM, leaf-most first).")
    Path ekChain;

    @Option(
        names = "--attr",
        paramLabel = "<key=value>",
        description = "Attribute policy can test (site, class, owner...). Repeatable.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      if (tpm != null) {
        return enrolTpm(client, out);
      }
      JsonNode body;
      if (enrolment != null) {
        body = JSON.readTree(Files.readString(enrolment));
      } else if (publicKey != null) {
        ObjectNode o = JSON.createObjectNode();
        o.put("publicKey", publicKey);
        body = o;
      } else {
        throw new IllegalArgumentException("give --public-key (dev) or --enrolment <file>");
      }
      print(out, client.enrolDevice(id, format, body, attributes));
      return ExitCode.OK;
    }

    /**
     * Both steps of a TPM enrolment, run on the device: the enrolment request from the TPM ({@link
     * TpmEnroller#request()}), then the credential the service answers is activated in the TPM and
     * its secret sent back; the device ends {@code active}.
     */
    private int enrolTpm(AdminClient client, PrintWriter out) throws Exception {
      if (!format.equals("tpm2") && !format.equals("dev")) {
        throw new IllegalArgumentException("--tpm enrols format tpm2, not " + format);
      }
      if (state == null) {
        throw new IllegalArgumentException(
            "--tpm needs --state <dir>: the runtime's state folder, so it uses the same AK");
      }
      List<byte[]> chain = ekChain == null ? List.of() : TpmEnroller.certificates(ekChain);
      try (DeviceTpm.Session session = deviceTpm().open(tpm)) {
        TpmEnroller enroller = new TpmEnroller(DeviceKeys.open(session.tools(), state), chain);
        JsonNode pending =
            client.enrolDevice(
                id, "tpm2", JSON.valueToTree(enroller.request().toJson()), attributes);
        JsonNode credential = pending.path("activation").path("credential");
        if (!credential.path("idObject").isTextual()
            || !credential.path("encryptedSecret").isTextual()) {
          throw new IllegalArgumentException(
              "the service answered no activation credential for " + id);
        }
        byte[] secret =
            enroller.activate(
                Base64.getDecoder().decode(credential.path("idObject").asText()),
                Base64.getDecoder().decode(credential.path("encryptedSecret").asText()));
        try {
          print(out, client.activateDevice(id, secret));
        } finally {
          Arrays.fill(secret, (byte) 0);
        }
      }
      if (!service.json()) {
        out.println(
            "start its runtime with: --attester tpm2 --tpm "
                + tpm
                + " --state "
                + state
                + " --device-id "
                + id);
      }
      return ExitCode.OK;
    }

    /** The device runtime's TPM access; a tool installed without the runtime has none. */
    private static DeviceTpm deviceTpm() {
      return ServiceLoader.load(DeviceTpm.class, DeviceTpm.class.getClassLoader())
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "--tpm runs on the device with the runtime's arca (module cli-runtime);"
                          + " this arca has no TPM support"));
    }

    private void print(PrintWriter out, JsonNode d) throws java.io.IOException {
      if (service.json()) {
        printJson(out, d);
      } else {
        out.println(
            "enrolled "
                + d.path("id").asText()
                + " ("
                + d.path("format").asText()
                + ") status "
                + d.path("status").asText()
                + " attributes "
                + d.path("attributes"));
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List enrolled devices. Exit codes: 0, 1 refused, 2 usage or unreachable.")
  static final class ListDevices extends ServiceCall {
    @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-1000).")
    int limit;

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode list = client.devices(limit);
      if (service.json()) {
        printJson(out, list);
      } else {
        out.printf("%-28s %-6s %-9s %s%n", "ID", "FORMAT", "STATUS", "ATTRIBUTES");
        for (JsonNode d : list) {
          out.printf(
              "%-28s %-6s %-9s %s%n",
              d.path("id").asText(),
              d.path("format").asText(),
              d.path("status").asText(),
              d.path("attributes"));
        }
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a device: its next attestation is refused. Exit codes as list.")
  static final class Revoke extends ServiceCall {
    @Parameters(paramLabel = "<id>", description = "Device id.")
    String id;

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode d = client.revokeDevice(id);
      if (service.json()) {
        printJson(out, d);
      } else {
        out.println("revoked " + d.path("id").asText() + " at " + d.path("revokedAt").asText());
      }
      return ExitCode.OK;
    }
  }
}
