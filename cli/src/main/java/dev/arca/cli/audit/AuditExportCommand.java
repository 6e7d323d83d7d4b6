// SPDX-License-Identifier: Apache-2.0
package dev.arca.cli.audit;

import dev.arca.cli.ExitCode;
import dev.arca.cli.IoErrors;
import dev.arca.cli.Progress;
import dev.arca.cli.login.LoginException;
import dev.arca.transparency.TransparencyException;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.log.LogAuditException;
import dev.arca.transparency.log.LogAuditor;
import dev.arca.transparency.tiles.Tiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code arca audit export}: the whole log at the service's current checkpoint, saved to a folder
 * for an auditor without access to the service ({@code arca audit verify --export}). The export is
 * made by verifying: the same audit as {@code verify} runs through a {@link RecordingLog}, so the
 * folder holds exactly the answers that verified, plus every tile of the tree (so a later {@code
 * --trusted-checkpoint} or {@code --from} finds its proof tiles). It is built in a hidden sibling
 * folder and moved into place only once complete; a log that does not verify is not exported. The
 * verifier key is deliberately not saved: an export cannot vouch for itself.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the log like 'audit verify' and save everything it read (checkpoint, tiles, entry"
          + " bundles, kept evidence) to a new folder, for 'arca audit verify --export' offline.",
      "The folder must not exist or be empty. The verifier key is not saved: the auditor pins"
          + " it with --vkey.",
      "Exit codes: 0 exported, 1 the log did not verify (nothing exported), 2 usage or I/O"
          + " error."
    })
final class AuditExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin AuditCommand.Connection connection = new AuditCommand.Connection();

  @Option(
      names = "--to",
      required = true,
      paramLabel = "<dir>",
      description = "Folder to create (or an empty one) for the export.")
  Path to;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path target = to.toAbsolutePath().normalize();
    EntryProgress progress = null;
    Path partial = null;
    try {
      if (Files.exists(target) && !isEmptyFolder(target)) {
        err.println(
            "arca: "
                + to
                + " is not an empty folder: export into a new one (an export is one log at one"
                + " checkpoint and is never merged)");
        return ExitCode.USAGE;
      }
      ServiceLog service = connection.open();
      CheckpointVerifier verifier = connection.verifier(service, err);
      Files.createDirectories(target.getParent());
      partial = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
      RecordingLog log = new RecordingLog(service, partial);
      AppraisalRecheck recheck = new AppraisalRecheck(log, 0);
      progress =
          new EntryProgress(
              recheck, Progress.ofCount(err, "exporting", "entries", false), log, verifier, 0);
      LogAuditor.Result r =
          new LogAuditor(log::fetch, verifier).audit(Optional.empty(), 0, progress);
      progress.finish();
      long size = r.checkpoint().size();
      for (int level = 0; level <= Tiles.MAX_LEVEL; level++) {
        long hashes = size >>> (Tiles.TILE_HEIGHT * level);
        for (long i = 0; i * Tiles.TILE_WIDTH < hashes; i++) {
          log.ensure(Tiles.tileAt(level, i, size).path());
        }
      }
      if (Files.exists(target)) {
        Files.delete(target); // empty, checked above
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      partial = null;
      out.printf(
          "ok: log %s verified and exported at size %d, root %s, to %s%n",
          r.checkpoint().origin(),
          size,
          Base64.getEncoder().encodeToString(r.checkpoint().rootHash()),
          to);
      out.printf(
          "    %d entries, %d tiles, %d kept blobs (evidence, enrolments, policies)%n",
          size, log.count("tile/") - log.count("tile/entries/"), log.count("evidence/"));
      out.println(
          "    the verifier key is not in the export; verify it with: arca audit verify --export "
              + to
              + " --vkey <the log's key, from its operator>");
      return ExitCode.OK;
    } catch (LogAuditException e) {
      AuditCommand.endLine(progress);
      err.println(AuditCommand.failure(e) + "; nothing exported");
      return ExitCode.FAILED;
    } catch (TransparencyException e) {
      AuditCommand.endLine(progress);
      err.println("FAILED: " + e.getMessage() + " [" + e.id() + "]; nothing exported");
      return ExitCode.FAILED;
    } catch (IOException e) {
      AuditCommand.endLine(progress);
      err.println("arca: " + IoErrors.describe(e));
      return ExitCode.USAGE;
    } catch (LoginException e) {
      err.println("arca: " + e.getMessage());
      return ExitCode.USAGE;
    } finally {
      deleteQuietly(partial, err);
    }
  }

  private static boolean isEmptyFolder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    }
  }

  /** Removes a partial export left by a failure; a leftover is reported, not fatal. */
  private static void deleteQuietly(Path dir, PrintWriter err) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      err.println("arca: could not remove the partial export " + dir + ": " + e.getMessage());
    }
  }
}
