// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.cli.Progress;
import dev.arca.cli.admin.ServiceOptions;
import dev.arca.cli.login.Credentials;
import dev.arca.cli.login.LoginException;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.Checkpoint;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.log.AuditEntry;
import dev.arca.transparency.log.LogAuditException;
import dev.arca.transparency.log.LogAuditor;
import dev.arca.transparency.note.Ed25519NoteVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca audit}: verify and follow a service's transparency log as an independent auditor. The
 * verification is {@link LogAuditor}'s (module transparency); this class parses arguments, reads
 * the log from the service over HTTP or from an export folder ({@link LogSource}) and prints.
 */
@Command(
    name = "audit",
    description = "Verify and follow an attestation service's tamper-evident audit log.",
    mixinStandardHelpOptions = true,
    subcommands = {
      AuditCommand.Verify.class,
      AuditExportCommand.class,
      AuditCommand.Tail.class,
      dev.arca.cli.admin.AuditSearchCommand.class
    })
public final class AuditCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Connection options verify, export and tail share. */
  static class Connection {
    @Option(
        names = "--service",
        paramLabel = "<url>",
        description = "Service URL (default: $ARCA_SERVICE, else http://127.0.0.1:8080).")
    String service;

    @Option(
        names = "--as",
        paramLabel = "<profile>",
        description =
            "Send the auditor token cached by 'arca login --as <profile>' (default: $ARCA_TOKEN"
                + " for automation, else the profile $ARCA_PROFILE or 'default' when logged in;"
                + " without a token only the public checkpoint and tiles are read).")
    String profile;

    @Option(
        names = "--vkey",
        description =
            "The log's pinned verifier key (name+id+base64, or a file holding it). Without it"
                + " the key the service serves at /v1/audit/vkey is trusted on first use; required"
                + " with verify --export.")
    String vkey;

    ServiceLog open() throws LoginException {
      return new ServiceLog(
          ServiceOptions.serviceUrl(service).toString(),
          Credentials.standard().find(profile, Instant.now()));
    }

    CheckpointVerifier verifier(LogSource log, PrintWriter err)
        throws IOException, TransparencyException {
      String key;
      if (vkey == null) {
        key = new String(log.fetch("vkey"), StandardCharsets.UTF_8).trim();
        err.println("note: trusting the verifier key served by the service: " + key);
      } else if (Files.isRegularFile(Path.of(vkey))) {
        key = Files.readString(Path.of(vkey)).trim();
      } else {
        key = vkey.trim();
      }
      Ed25519NoteVerifier v = Ed25519NoteVerifier.parse(key);
      // The log names its checkpoints with the key's name (the log origin).
      return new CheckpointVerifier(key.substring(0, key.indexOf('+')), List.of(v));
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Fetch the checkpoint, tiles and entries (from the service, or from a folder written by"
            + " 'arca audit export'); verify the checkpoint signature, every entry"
            + " against its leaf hash and the recomputed root, consistency with the trusted"
            + " checkpoint (then save the new one); re-run each appraisal's evidence verification"
            + " and policy decision from the kept evidence, enrolment and policy document.",
        "Exit codes: 0 verified, 1 the log did not verify (the first bad entry is named; also a"
            + " file missing from an export), 2 usage or I/O error."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Connection connection = new Connection();

    @Option(
        names = "--export",
        paramLabel = "<dir>",
        description =
            "Verify offline, from a folder written by 'arca audit export' instead of the service"
                + " (not with --service or --as); --vkey is then required.")
    Path export;

    @Option(
        names = "--trusted-checkpoint",
        paramLabel = "<file>",
        description =
            "Checkpoint saved by an earlier run: the log must extend it. Created or replaced by"
                + " the newly verified checkpoint.")
    Path trusted;

    @Option(
        names = "--from",
        paramLabel = "<index>",
        defaultValue = "0",
        description = "First entry to check (earlier ones are covered by tile hashes only).")
    long from;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (from < 0) {
        err.println("arca: --from must be >= 0");
        return ExitCode.USAGE;
      }
      if (export != null && (connection.service != null || connection.profile != null)) {
        err.println(
            "arca: --export reads the log from a folder: it cannot be combined with --service or"
                + " --as");
        return ExitCode.USAGE;
      }
      if (export != null && connection.vkey == null) {
        err.println(
            "arca: --vkey is required with --export: an export cannot vouch for itself. Get the"
                + " log's verifier key from its operator or from the service (GET"
                + " <service>/v1/audit/vkey; 'arca audit verify --service <url>' without --vkey"
                + " prints the key it trusts) and pin it with --vkey <key or file>");
        return ExitCode.USAGE;
      }
      EntryProgress progress = null;
      try {
        LogSource log = export != null ? ExportFolder.open(export) : connection.open();
        CheckpointVerifier verifier = connection.verifier(log, err);
        Optional<Checkpoint> previous = Optional.empty();
        if (trusted != null && Files.exists(trusted)) {
          previous = Optional.of(verifier.verify(Files.readAllBytes(trusted)));
        }
        AppraisalRecheck recheck = new AppraisalRecheck(log, from);
        progress =
            new EntryProgress(
                recheck, Progress.ofCount(err, "verifying", "entries", false), log, verifier, from);
        LogAuditor.Result r = new LogAuditor(log::fetch, verifier).audit(previous, from, progress);
        progress.finish();
        if (trusted != null) {
          Path tmp = trusted.resolveSibling(trusted.getFileName() + ".tmp");
          Files.write(tmp, log.lastCheckpoint());
          Files.move(tmp, trusted, StandardCopyOption.REPLACE_EXISTING);
        }
        out.printf(
            "ok: log %s verified at size %d, root %s%s%n",
            r.checkpoint().origin(),
            r.checkpoint().size(),
            Base64.getEncoder().encodeToString(r.checkpoint().rootHash()),
            export == null ? "" : " (from the export " + export + ")");
        out.printf("    %d entries checked from index %d%n", r.entriesChecked(), r.firstEntry());
        out.printf(
            "    re-verified: %d appraisals (evidence and every policy decision), %d rejections"
                + " reproduced from their evidence, %d rejections recorded before any evidence%n",
            recheck.decisionsReplayed(), recheck.evidenceReplayed(), recheck.recordedOnly());
        if (recheck.stateUnchecked() > 0) {
          out.printf(
              "    %d appraisals name a device, policy or reference set recorded before entry %d:"
                  + " not checked (run without --from to check them)%n",
              recheck.stateUnchecked(), from);
        }
        out.println(
            r.consistencyChecked()
                ? "    extends the trusted checkpoint of size "
                    + previous.get().size()
                    + (trusted == null ? "" : "; saved the new one to " + trusted)
                : "    no trusted checkpoint given"
                    + (trusted == null ? "" : "; saved this one to " + trusted));
        return ExitCode.OK;
      } catch (LogAuditException e) {
        endLine(progress);
        err.println(failure(e));
        return ExitCode.FAILED;
      } catch (TransparencyException e) {
        endLine(progress);
        err.println("FAILED: " + e.getMessage() + " [" + e.id() + "]");
        return ExitCode.FAILED;
      } catch (ExportIncompleteException e) {
        endLine(progress);
        err.println(incomplete(e));
        return ExitCode.FAILED;
      } catch (IOException e) {
        endLine(progress);
        err.println("arca: " + IoErrors.describe(e));
        return ExitCode.USAGE;
      } catch (LoginException e) {
        err.println("arca: " + e.getMessage());
        return ExitCode.USAGE;
      }
    }
  }

  /** Ends a progress line left open by a failure, so the message starts a line of its own. */
  static void endLine(EntryProgress progress) {
    if (progress != null) {
      progress.finish();
    }
  }

  /** One line for a file missing from an export: the export is incomplete. */
  static String incomplete(ExportIncompleteException e) {
    return "FAILED: the export is incomplete: it has no " + e.path() + " [audit.export-incomplete]";
  }

  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = {
        "Follow new entries: print each as one JSON line ({\"index\":n,\"entry\":...}) after"
            + " proving every new checkpoint extends the previous one.",
        "Exit codes: 1 if the log fails to verify, 2 usage or I/O error."
      })
  static final class Tail implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Connection connection = new Connection();

    @Option(
        names = "--from",
        paramLabel = "<index>",
        description = "First entry to print (default: only entries appended from now on).")
    Long from;

    @Option(
        names = "--interval",
        defaultValue = "2",
        paramLabel = "<seconds>",
        description = "Seconds between checkpoint polls.")
    long interval;

    @Option(names = "--once", description = "Print what is there and stop.")
    boolean once;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        ServiceLog log = connection.open();
        CheckpointVerifier verifier = connection.verifier(log, err);
        LogAuditor auditor = new LogAuditor(log::fetch, verifier);
        Optional<Checkpoint> previous = Optional.empty();
        long next = from == null ? verifier.verify(log.fetch("checkpoint")).size() : from;
        while (true) {
          long start = next;
          LogAuditor.Result r =
              auditor.audit(
                  previous,
                  start,
                  (index, entry) -> {
                    AuditEntry.fromLeafBytes(entry);
                    out.println(
                        "{\"index\":"
                            + index
                            + ",\"entry\":"
                            + new String(entry, StandardCharsets.UTF_8)
                            + "}");
                  });
          out.flush();
          previous = Optional.of(r.checkpoint());
          next = r.checkpoint().size();
          if (once) {
            return ExitCode.OK;
          }
          Thread.sleep(interval * 1000);
        }
      } catch (LogAuditException e) {
        err.println(failure(e));
        return ExitCode.FAILED;
      } catch (TransparencyException e) {
        err.println("FAILED: " + e.getMessage() + " [" + e.id() + "]");
        return ExitCode.FAILED;
      } catch (IOException e) {
        err.println("arca: " + IoErrors.describe(e));
        return ExitCode.USAGE;
      } catch (LoginException e) {
        err.println("arca: " + e.getMessage());
        return ExitCode.USAGE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.OK;
      }
    }
  }

  /** One line naming the first bad entry, for verify and tail alike. */
  static String failure(LogAuditException e) {
    return (e.entryIndex() >= 0 ? "FAILED at entry " + e.entryIndex() + ": " : "FAILED: ")
        + e.getMessage()
        + " ["
        + e.id()
        + "]";
  }
}
