// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.cli.adminapi.AdminClient;
import dev.arca.cli.adminapi.ServiceProblem;
import dev.arca.cli.login.LoginException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that call the service's admin API: turns every failure into one line and the
 * documented exit code (docs/cli.md): 1 when the service refused (4xx), 2 when it could not be
 * reached, the caller is not logged in, or the input is unusable.
 */
public abstract class ServiceCall implements Callable<Integer> {
  /** Pretty JSON for {@code --json}. */
  protected static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec protected CommandSpec spec;

  @Mixin protected ServiceOptions service;

  /** The command's work; return the exit code. */
  protected abstract int run(AdminClient client, PrintWriter out) throws Exception;

  /**
   * Checks the arguments before any token is looked up or request sent, so unusable input is
   * refused the same way logged in or not; throw {@link IllegalArgumentException} (exit 2).
   */
  protected void checkArguments() throws IOException {}

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      checkArguments();
      return run(service.client(), spec.commandLine().getOut());
    } catch (ServiceProblem e) {
      err.println("arca: " + e.getMessage());
      return e.status() == 0 ? ExitCode.USAGE : ExitCode.FAILED;
    } catch (LoginException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      err.println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    } catch (IllegalArgumentException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (Exception e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } finally {
      spec.commandLine().getOut().flush();
      err.flush();
    }
  }

  /** Prints {@code node} as JSON. */
  protected void printJson(PrintWriter out, JsonNode node) throws IOException {
    out.println(JSON.writeValueAsString(node));
  }
}
