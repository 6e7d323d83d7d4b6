// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arca.cli.ExitCode;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.cli.adminapi.ServiceProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code arca collateral}: upload and list the AMD and Intel collateral SEV-SNP and TDX appraisal
 * needs (role device-admin; list also auditor).
 */
@Command(
    name = "collateral",
    mixinStandardHelpOptions = true,
    description =
        "Upload and list the AMD and Intel collateral (VCEKs, TCB info, CRLs) that SEV-SNP and TDX"
            + " appraisal needs.",
    subcommands = {CollateralCommand.Import.class, CollateralCommand.ListItems.class})
public final class CollateralCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Upload every collateral file of a folder (role device-admin), one line per file:"
            + " imported, already present, refused (with the reason) or skipped.",
        "Collateral files by name: sev-snp vcek*.der|pem, cert_chain.pem, ask.pem, ask_ark*.pem,"
            + " crl, *.crl (as AMD's KDS names them); tdx tcbinfo*.json, qeidentity*.json,"
            + " sample_tcbInfo_response, sample_qeIdentity_response, pckcrl, rootcrl.der,"
            + " *_issuer_chain.pem (as Intel's PCS names them). Other files are skipped.",
        "Exit codes: 0 all imported or present, 1 a file was refused, 2 usage or unreachable."
      })
  static final class Import extends ServiceCall {
    @Parameters(paramLabel = "<dir>", description = "Folder of collateral files (walked).")
    Path dir;

    @Override
    protected void checkArguments() {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + " is not a folder");
      }
    }

    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      ArrayNode results = JSON.createArrayNode();
      int refused = 0;
      for (Path file : files) {
        String shown = dir.relativize(file).toString();
        ObjectNode r = results.addObject().put("file", shown);
        Optional<String> format = CollateralFiles.formatOf(file.getFileName().toString());
        if (format.isEmpty()) {
          r.put("result", "skipped");
          line(out, "skipped " + shown + ": not a collateral file name");
          continue;
        }
        try {
          JsonNode item =
              client.importCollateral(format.get(), file.getFileName().toString(), read(file));
          boolean present = item.path("alreadyPresent").asBoolean();
          r.put("result", present ? "already-present" : "imported").set("item", item);
          line(out, (present ? "already present " : "imported ") + shown + ": " + describe(item));
        } catch (ServiceProblem e) {
          if (e.status() == 0 || e.status() == 401 || e.status() == 403) {
            throw e; // nothing else will get through either
          }
          refused++;
          r.put("result", "refused").put("problem", e.type()).put("reason", e.getMessage());
          line(out, "refused " + shown + ": " + e.getMessage());
        }
      }
      if (service.json()) {
        printJson(out, results);
      }
      return refused > 0 ? ExitCode.FAILED : ExitCode.OK;
    }

    private void line(PrintWriter out, String text) {
      if (!service.json()) {
        out.println(text);
      }
    }

    private static byte[] read(Path file) throws IOException {
      return Files.readAllBytes(file);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the stored collateral, current and superseded, with expiry (roles device-admin,"
            + " auditor).",
        "Exit codes: 0, 1 refused, 2 usage or unreachable."
      })
  static final class ListItems extends ServiceCall {
    @Override
    protected int run(AdminClient client, PrintWriter out) throws Exception {
      JsonNode list = client.collateral();
      if (service.json()) {
        printJson(out, list);
        return ExitCode.OK;
      }
      out.printf(
          "%-5s %-8s %-13s %-21s %-19s %s%n", "ID", "FORMAT", "KIND", "NOT AFTER", "STATE", "KEY");
      for (JsonNode i : list) {
        String state =
            (i.path("superseded").asBoolean() ? "superseded" : "current")
                + (i.path("expired").asBoolean() ? ",expired" : "");
        out.printf(
            "%-5s %-8s %-13s %-21s %-19s %s%n",
            i.path("id").asText(),
            i.path("format").asText(),
            i.path("kind").asText(),
            i.path("notAfter").asText(),
            state,
            i.path("key").asText());
      }
      return ExitCode.OK;
    }
  }

  private static String describe(JsonNode item) {
    return item.path("format").asText()
        + " "
        + item.path("kind").asText()
        + " "
        + item.path("key").asText()
        + " (not after "
        + item.path("notAfter").asText()
        + (item.path("expired").asBoolean() ? ", expired" : "")
        + (item.path("superseded").asBoolean() ? ", superseded by a newer one" : "")
        + ")";
  }
}
