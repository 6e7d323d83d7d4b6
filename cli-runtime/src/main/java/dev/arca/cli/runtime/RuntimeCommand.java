// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.runtime;

import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.crypto.sign.PublisherKeyRing;
import dev.arca.runtime.RuntimeAgent;
import dev.arca.runtime.attester.Attester;
import dev.arca.runtime.attester.ConfigfsTsmAttester;
import dev.arca.runtime.attester.DevRuntimeAttester;
import dev.arca.runtime.attester.NitroNsmAttester;
import dev.arca.runtime.attester.Tpm2RuntimeAttester;
import dev.arca.runtime.boot.ConfigFile;
import dev.arca.runtime.boot.ConfigFileException;
import dev.arca.runtime.boot.Hardening;
import dev.arca.runtime.boot.InsecureRuntimeException;
import dev.arca.runtime.lease.Standing;
import dev.arca.runtime.service.ServiceClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code arca runtime}: the device runtime in the foreground, one log line per boot step. Stops on
 * Ctrl-C, wiping its keys and models.
 */
@Command(
    name = "runtime",
    mixinStandardHelpOptions = true,
    description = {
      "Run the device runtime: attest, unseal granted models in memory, serve encrypted inference.",
      "It hardens the process, measures what it loads, attests to the service, unseals the granted",
      "models in memory only and serves end-to-end encrypted (OHTTP) inference.",
      "An unreachable or refusing service does not stop it: it serves nothing and retries;",
      "--check attests once and exits instead (0 attested, 1 not)."
    })
public final class RuntimeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--service", description = "Attestation service URL (required).")
  URI service;

  @Option(
      names = "--attester",
      defaultValue = "dev",
      description =
          "Evidence source: tpm2 (TPM 2.0 quote; needs --tpm), configfs-tsm (SEV-SNP, TDX or"
              + " CCA guest report through the kernel's configfs-tsm; needs --device-id), nitro"
              + " (Nitro Enclaves document through --nsm-command; needs --device-id) or dev"
              + " (software key; proves nothing about hardware). Default ${DEFAULT-VALUE}.")
  String attester;

  @Option(
      names = "--tsm",
      description =
          "The configfs-tsm directory for --attester configfs-tsm (default /sys/kernel/config/tsm).")
  Path tsm;

  @Option(
      names = "--nsm-command",
      description =
          "For --attester nitro: the NSM helper program and its arguments (split at spaces); it"
              + " reads the report data as hex on stdin and writes the attestation document to"
              + " stdout.")
  String nsmCommand;

  @Option(
      names = "--tpm",
      description =
          "The TPM for --attester tpm2: a device path (/dev/tpmrm0) or swtpm:<host>:<port>.")
  String tpm;

  @Option(
      names = "--device-id",
      description =
          "The id the device is enrolled under (required for configfs-tsm and nitro; for tpm2"
              + " the default is its identity tpm2:ak:<AK Name>).")
  String deviceId;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:8443",
      description = "Address for /v1/infer (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--state",
      description = "State folder (default ~/.arca/runtime): sealed packages, version floors.")
  Path state;

  @Option(
      names = "--model",
      description = "A model to request, as <model-id>:<data-class>; repeat for more (required).")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--publishers",
      description =
          "Trusted publisher public keys: a PublisherKeyRing JSON file"
              + " (docs/formats/sealed-model.md) (required).")
  Path publishers;

  @Option(
      names = "--config",
      description =
          "A properties file giving any of these flags by their long name without dashes"
              + " (model = a:synthetic, b:synthetic); flags on the command line win.")
  Path config;

  /** Flags that make no sense in the configuration file itself. */
  private static final Set<String> NOT_IN_FILE = Set.of("config", "help", "version", "check");

  @Option(
      names = "--check",
      description = {
        "Boot, attest once and exit without serving: 0 when the service granted, 1 when it could",
        "not be reached or refused (a pre-flight check for installs and scripts)."
      })
  boolean check;

  @Option(
      names = "--insecure",
      description =
          "Start even with a debugger or agent attached (the runtime attests as insecure).")
  boolean insecure;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try {
      if (config != null) {
        applyConfigFile();
      }
      // Before any key is read into memory: refuse a debugger or agent (or start flagged insecure).
      Hardening.apply(insecure);
      String missing = missingRequired();
      if (missing != null) {
        err.println("arca: missing " + missing + " (give it as a flag or in --config)");
        return ExitCode.USAGE;
      }
    } catch (InsecureRuntimeException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (IOException e) {
      err.println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    } catch (ConfigFileException | IllegalArgumentException | ParameterException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    }
    Path stateDir =
        state != null ? state : Path.of(System.getProperty("user.home"), ".arca", "runtime");
    try {
      RuntimeAgent.Config config =
          new RuntimeAgent.Config(
              service,
              address(listen),
              stateDir,
              requests(models),
              PublisherKeyRing.fromJson(Files.readString(publishers)),
              insecure);
      Attester source;
      try {
        source = attester(stateDir);
      } catch (IllegalArgumentException e) {
        err.println("arca: " + e.getMessage());
        return ExitCode.USAGE;
      }
      out.println("runtime: device " + source.deviceId() + " (" + source.format() + " attester)");
      if (source instanceof DevRuntimeAttester dev) {
        out.println(
            "runtime: the dev attester proves possession of a key only, not hardware;"
                + " policies refuse it for sensitive data, and services refuse it unless"
                + " arca.formats.dev.enabled=true (development only)");
        out.println(
            "runtime: to enrol this device: arca device enroll --id "
                + dev.deviceId()
                + " --public-key "
                + java.util.Base64.getEncoder().encodeToString(dev.publicKey()));
      }
      StopSignals stop = StopSignals.install(Thread.currentThread(), err);
      try (RuntimeAgent agent =
          new RuntimeAgent(
              config, source, Clock.systemUTC(), line -> out.println(Instant.now() + " " + line))) {
        try {
          agent.boot();
          if (check && !stop.requested()) {
            return checked(agent.standing(), agent.served(), out, err);
          }
          if (!stop.requested()) {
            out.println("runtime: ready on http://" + listen + "/v1/infer");
            out.flush();
            stop.await();
          }
        } catch (Exception e) {
          if (!stop.requested()) {
            throw e;
          }
          // The stop signal interrupted the boot; stopping is what was asked for.
        }
        stop.acknowledge();
        out.println("runtime: stopping (signal): closing the models and wiping their keys");
        out.flush();
      } finally {
        if (source instanceof AutoCloseable c) {
          c.close(); // the TPM attester deletes its tpm2-tools work directory
        }
      }
      return ExitCode.OK;
    } catch (InsecureRuntimeException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.FAILED;
    } catch (IOException e) {
      err.println("arca: " + IoErrors.describe(e));
      return ExitCode.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.OK;
    } catch (Exception e) {
      err.println("arca: runtime stopped: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }

  /** {@code --check}'s verdict: attested (0) or not (1, with the reason). */
  private static int checked(
      Standing standing,
      Map<String, Long> served,
      java.io.PrintWriter out,
      java.io.PrintWriter err) {
    if (standing instanceof Standing.Online) {
      out.println("runtime: check passed: attested; models granted and unsealed: " + served);
      return ExitCode.OK;
    }
    String why = standing.name();
    if (standing instanceof Standing.Offline o) {
      why = "the service could not be used: " + o.reason();
    } else if (standing instanceof Standing.Refused r) {
      why = "the service refused: HTTP " + r.status() + " " + r.type();
    }
    err.println("arca: runtime check failed: " + why);
    return ExitCode.FAILED;
  }

  /**
   * Fills every option not given on the command line from the configuration file, converting values
   * with picocli's own converters (a scratch parse of the file's entries as flags).
   */
  private void applyConfigFile() throws IOException, ConfigFileException {
    Map<String, OptionSpec> byKey = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      String key = o.longestName().replaceFirst("^--", "");
      if (!NOT_IN_FILE.contains(key)) {
        byKey.put(key, o);
      }
    }
    ConfigFile file = ConfigFile.read(config, byKey.keySet());
    List<String> args = new ArrayList<>();
    for (String key : file.keys()) {
      OptionSpec o = byKey.get(key);
      if (o.arity().max() == 0) {
        String v = file.value(key);
        if (!v.equals("true") && !v.equals("false")) {
          throw new IllegalArgumentException(
              "configuration file " + config + ": '" + key + "' must be true or false");
        }
        if (v.equals("true")) {
          args.add("--" + key);
        }
      } else if (o.isMultiValue()) {
        file.list(key).forEach(v -> args.add("--" + key + "=" + v));
      } else {
        args.add("--" + key + "=" + file.value(key));
      }
    }
    ParseResult fromFile =
        new CommandLine(new RuntimeCommand()).parseArgs(args.toArray(String[]::new));
    ParseResult fromFlags = spec.commandLine().getParseResult();
    for (OptionSpec o : spec.options()) {
      if (!fromFlags.hasMatchedOption(o) && fromFile.hasMatchedOption(o.longestName())) {
        o.setValue(fromFile.matchedOption(o.longestName()).getValue());
      }
    }
  }

  /** The first required flag given neither on the command line nor in the file, or null. */
  private String missingRequired() {
    if (service == null) {
      return "--service";
    }
    if (models == null || models.isEmpty()) {
      return "--model";
    }
    if (publishers == null) {
      return "--publishers";
    }
    return null;
  }

  private Attester attester(Path stateDir) throws IOException {
    if (attester.equals("dev")) {
      return DevRuntimeAttester.open(stateDir, Clock.systemUTC());
    }
    if (attester.equals("tpm2")) {
      if (tpm == null) {
        throw new IllegalArgumentException(
            "--attester tpm2 needs --tpm /dev/tpmrm0 or --tpm swtpm:<host>:<port>");
      }
      return Tpm2RuntimeAttester.open(tpm, stateDir, deviceId);
    }
    if (attester.equals("configfs-tsm")) {
      if (deviceId == null) {
        throw new IllegalArgumentException(
            "--attester configfs-tsm needs --device-id (the id the guest is enrolled under)");
      }
      return ConfigfsTsmAttester.open(
          tsm != null ? tsm : ConfigfsTsmAttester.DEFAULT_ROOT, deviceId, null);
    }
    if (attester.equals("nitro")) {
      if (nsmCommand == null || NitroNsmAttester.split(nsmCommand).isEmpty() || deviceId == null) {
        throw new IllegalArgumentException(
            "--attester nitro needs --nsm-command <helper> and --device-id (the id the enclave is"
                + " enrolled under)");
      }
      return new NitroNsmAttester(NitroNsmAttester.split(nsmCommand), deviceId);
    }
    throw new IllegalArgumentException(
        "unknown attester '" + attester + "'; this build supports: tpm2, configfs-tsm, nitro, dev");
  }

  static List<ServiceClient.ModelRequest> requests(List<String> specs) {
    List<ServiceClient.ModelRequest> out = new ArrayList<>();
    for (String s : specs) {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("--model must be <model-id>:<data-class>, got " + s);
      }
      out.add(new ServiceClient.ModelRequest(s.substring(0, colon), s.substring(colon + 1)));
    }
    return out;
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen must be <host>:<port>, got " + hostPort);
    }
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
