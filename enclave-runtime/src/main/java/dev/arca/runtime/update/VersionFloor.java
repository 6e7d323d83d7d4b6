// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.update;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arca.runtime.state.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rollback protection: the highest version of each model this device has accepted, kept in the
 * runtime's state folder ({@code accepted-versions.json}) so it survives restarts. A version lower
 * than the floor is refused; accepting a version raises the floor atomically (write to a temporary
 * file, then rename).
 *
 * <p>The file holds no secret, and restoring an older copy of the state folder lowers it. Where the
 * platform has a {@link VersionCounter} (a TPM's NV counters), the floor is also kept there and the
 * higher of the two binds: a restored folder then rolls nothing back.
 */
public final class VersionFloor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "accepted-versions.json";
  private final Path file;
  private final Map<String, Long> floors;
  private final Optional<VersionCounter> counter;

  private VersionFloor(Path file, Map<String, Long> floors, Optional<VersionCounter> counter) {
    this.file = file;
    this.floors = floors;
    this.counter = counter;
  }

  /** Loads the floors from {@code stateDir}, creating the folder if needed. */
  public static VersionFloor open(Path stateDir) throws IOException {
    return open(stateDir, Optional.empty());
  }

  /**
   * Loads the floors from {@code stateDir}, creating the folder if needed, and keeps them in {@code
   * counter} too when there is one.
   */
  public static VersionFloor open(Path stateDir, Optional<VersionCounter> counter)
      throws IOException {
    Files.createDirectories(stateDir);
    Path f = stateDir.resolve(FILE);
    Map<String, Long> floors = new TreeMap<>();
    if (Files.exists(f)) {
      floors.putAll(JSON.readValue(f.toFile(), new TypeReference<Map<String, Long>>() {}));
    }
    return new VersionFloor(f, floors, counter);
  }

  /**
   * The highest accepted version of a model (the higher of the file's and the counter's), or 0 when
   * none was accepted.
   *
   * @throws IOException when the counter cannot be read
   */
  public synchronized long floor(String modelId) throws IOException {
    long inFile = floors.getOrDefault(modelId, 0L);
    if (counter.isEmpty()) {
      return inFile;
    }
    return Math.max(inFile, counter.get().value(modelId).orElse(0));
  }

  /**
   * Checks a version against the floor.
   *
   * @throws RollbackException {@code update.rollback} when it is lower than the floor
   * @throws IOException when the counter cannot be read
   */
  public synchronized void check(String modelId, long version)
      throws RollbackException, IOException {
    long floor = floor(modelId);
    if (version < floor) {
      boolean inFile = floor == floors.getOrDefault(modelId, 0L);
      throw new RollbackException(
          "model "
              + modelId
              + " version "
              + version
              + " is lower than version "
              + floor
              + ", already accepted on this device"
              + (inFile ? "" : " (as its TPM counter says)")
              + "; refusing the rollback");
    }
  }

  /**
   * Checks, then raises the floor to {@code version}: first the counter (a failure there leaves the
   * version unaccepted), then the file.
   */
  public synchronized void accept(String modelId, long version)
      throws RollbackException, IOException {
    check(modelId, version);
    if (counter.isPresent()) {
      counter.get().raiseTo(modelId, version);
    }
    if (version == floors.getOrDefault(modelId, 0L)) {
      return;
    }
    floors.put(modelId, version);
    StateFiles.replace(file, JSON.writeValueAsBytes(floors));
  }
}
