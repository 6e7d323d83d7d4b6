package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.Arca;
import dev.arca.client.admin.AdminClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
        "Enrol a device. dev: --public-key (base64 Ed25519 key the runtime prints);"
            + " other formats: --enrolment <json file>.",
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
        names = "--attr",
        paramLabel = "<key=value>",
        description = "Attribute policy can test (site, class, owner...). Repeatable.")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
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
      JsonNode d = client.enrolDevice(id, format, body, attributes);
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
      return Arca.OK;
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
      return Arca.OK;
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
      return Arca.OK;
    }
  }
}
