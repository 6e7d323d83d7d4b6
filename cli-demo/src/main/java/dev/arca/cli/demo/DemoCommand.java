// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.demo;

import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.devstack.DevStackException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca demo}: the whole chain on real processes — Keycloak, the attestation service with
 * embedded PostgreSQL, a device runtime — narrated step by step through the service's REST API
 * ({@link DemoRun}). Leaves nothing running, also on Ctrl-C; with {@code --keep} the stack runs on
 * after the last step, for the user to explore, until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole chain on real processes, narrated step by step.",
      "Starts Keycloak, the attestation service (embedded PostgreSQL) and device",
      "runtimes (a software TPM when swtpm is installed, and the dev attester).",
      "A security team applies the PHI policy, a publisher seals and publishes a",
      "model, devices are enrolled, the runtimes attest and unseal it in memory,",
      "an application infers end to end encrypted, PHI is refused to the",
      "dev-attested runtime with the policy's reason, and an auditor verifies the log.",
      "With --keep everything runs on afterwards, with its URLs, users and commands",
      "printed, until Ctrl-C stops it all.",
      "Exit codes: 0 every step ok, 1 a step failed, 2 usage or I/O error."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", description = "Your ONNX model (default: the bundled Conv2d sample).")
  Path model;

  @Option(names = "--input", description = "Input tensor (ONNX TensorProto .pb) for --model.")
  Path input;

  @Option(names = "--output", description = "Write the output tensor (TensorProto .pb) here.")
  Path output;

  @Option(
      names = "--data-class",
      description =
          "Data class of the application's request (default: phi with a software TPM, else"
              + " synthetic).")
  String dataClass;

  @Option(
      names = "--no-tpm",
      description = "Do not start a software TPM even when swtpm is installed (dev attester only).")
  boolean noTpm;

  @Option(
      names = "--policy",
      description = "Policy to apply (default: the bundled PHI demo policy, demo-phi-policy.yaml).")
  Path policy;

  @Option(
      names = "--run-dir",
      description =
          "Folder for logs, the sealed package and the service's data (default: a new"
              + " temporary folder).")
  Path runDir;

  @Option(
      names = "--report",
      description = "Also write each outcome as JSON to this file (for scripts and tests).")
  Path report;

  @Option(
      names = "--keep",
      description =
          "After the last step, leave the stack running, print every URL, user and command to"
              + " explore it, and stop everything on Ctrl-C.")
  boolean keep;

  @Override
  // Built for Java 17, where System.console() is null exactly when there is no terminal.
  @SuppressWarnings("SystemConsoleNull")
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if ((model == null) != (input == null)) {
      err.println("arca: --model and --input go together");
      return ExitCode.USAGE;
    }
    if (dataClass != null && !dataClass.matches("[a-z0-9-]{1,64}")) {
      err.println("arca: --data-class is lower-case letters, digits and '-'");
      return ExitCode.USAGE;
    }
    try {
      return new DemoRun(
              new DemoRun.Options(
                  model,
                  input,
                  output,
                  dataClass,
                  policy,
                  runDir,
                  report,
                  noTpm,
                  System.console() != null,
                  keep),
              spec.commandLine().getOut())
          .run();
    } catch (DevStackException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (dev.arca.runtime.model.ModelLoadException e) {
      err.println("arca: " + e.getMessage() + " (--model)");
      return ExitCode.USAGE;
    } catch (IOException e) {
      err.println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    } catch (Exception e) {
      err.println("arca: the demo stopped: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }
}
