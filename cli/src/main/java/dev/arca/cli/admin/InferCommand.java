// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.client.RuntimeClient;
import dev.arca.client.ear.EarException;
import dev.arca.client.ear.VerifiedEar;
import dev.arca.client.infer.InferenceMessages;
import dev.arca.client.infer.InferenceRefusedException;
import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorProtoCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca infer}: one end-to-end encrypted inference against an attested runtime; the logic is
 * {@link RuntimeClient}'s (module client).
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Send one end-to-end encrypted inference request to an attested runtime.",
      "Verifies the runtime's EAR token against the service's JWKS and that its",
      "grants cover the model and data class, encapsulates the request to the",
      "attested key (OHTTP) and decrypts the answer.",
      "Exit codes: 0 answered, 1 the runtime refused or failed verification, 2 usage or I/O."
    })
public final class InferCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--runtime",
      required = true,
      description = "Runtime URL, e.g. http://127.0.0.1:8443")
  URI runtime;

  @Option(names = "--service", required = true, description = "Attestation service URL (JWKS).")
  URI service;

  @Option(
      names = "--audience",
      defaultValue = RuntimeClient.AUDIENCE,
      description =
          "The audience the service's tokens must name (its arca.token.audience; default"
              + " ${DEFAULT-VALUE}).")
  String audience;

  @Option(
      names = "--issuer",
      defaultValue = RuntimeClient.ISSUER,
      description = "The issuer the service's tokens must name (default ${DEFAULT-VALUE}).")
  String issuer;

  @Option(names = "--model", required = true, description = "Model id.")
  String model;

  @Option(names = "--data-class", required = true, description = "Data class of the input.")
  String dataClass;

  @Option(names = "--purpose", defaultValue = "inference", description = "Purpose of use.")
  String purpose;

  @Option(names = "--input", required = true, description = "Input tensor (ONNX TensorProto .pb).")
  Path input;

  @Option(names = "--input-name", description = "Input name (default: the name in the .pb).")
  String inputName;

  @Option(names = "--output", description = "Write the first output tensor (TensorProto .pb).")
  Path output;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Tensor x = TensorProtoCodec.decode(Files.readAllBytes(input), "input");
      if (inputName != null) {
        x = x.named(inputName);
      }
      RuntimeClient client =
          RuntimeClient.connect(runtime, service, issuer, audience, Clock.systemUTC());
      VerifiedEar ear = client.attestation();
      out.println(
          "runtime "
              + ear.deviceId()
              + " attested "
              + ear.statuses()
              + " by "
              + String.join(", ", ear.policies().values()));
      InferenceMessages.Response r = client.infer(model, dataClass, purpose, Map.of(x.name(), x));
      for (Tensor y : r.outputs().values()) {
        out.println("output " + y.name() + " " + y.type() + " " + Arrays.toString(y.shape()));
      }
      if (output != null) {
        Files.write(output, TensorProtoCodec.encode(r.outputs().values().iterator().next()));
        out.println("wrote " + output);
      }
      return ExitCode.OK;
    } catch (InferenceRefusedException e) {
      err.println(
          "arca: the runtime refused ("
              + e.status()
              + "): "
              + e.getMessage()
              + " ["
              + e.id()
              + "]");
      return ExitCode.FAILED;
    } catch (EarException e) {
      err.println("arca: " + e.getMessage() + " [" + e.id() + "]");
      return ExitCode.FAILED;
    } catch (TensorFormatException e) {
      err.println("arca: " + input + " is not an ONNX TensorProto: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      err.println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    }
  }
}
