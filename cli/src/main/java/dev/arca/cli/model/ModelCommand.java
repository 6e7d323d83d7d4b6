// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.model;

import picocli.CommandLine.Command;

/**
 * {@code arca model}: publisher keys, sealing and verifying sealed model packages. {@code model
 * inspect} reads a model with ONNX Runtime, so the runtime's plugin ({@code cli-runtime}) adds it.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Publisher keys; seal, verify, publish, list and revoke sealed models.",
    subcommands = {
      ModelKeygenCommand.class,
      ModelSealCommand.class,
      ModelVerifyCommand.class,
      ModelPublishCommand.class,
      ModelListCommand.class,
      ModelRevokeCommand.class,
      ModelTrustCommand.class,
      ModelRevokeKeyCommand.class
    })
public final class ModelCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
