// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.update;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rollback protection: the highest version of each model this device has accepted, kept in the
 * runtime's state folder ({@code accepted-versions.json}) so it survives restarts. A version lower
 * than the floor is refused; accepting a version raises the floor atomically (write to a temporary
 * file, then rename).
 *
 * <p>The file holds no secret. Someone with root on the device can roll it back; on a TPM device
 * the floor can additionally be kept in a TPM NV counter (see docs/architecture.md).
 */
public final class VersionFloor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "accepted-versions.json";
  private final Path file;
  private final Map<String, Long> floors;

  private VersionFloor(Path file, Map<String, Long> floors) {
    this.file = file;
    this.floors = floors;
  }

  /** Loads the floors from {@code stateDir}, creating the folder if needed. */
  public static VersionFloor open(Path stateDir) throws IOException {
    Files.createDirectories(stateDir);
    Path f = stateDir.resolve(FILE);
    Map<String, Long> floors = new TreeMap<>();
    if (Files.exists(f)) {
      floors.putAll(JSON.readValue(f.toFile(), new TypeReference<Map<String, Long>>() {}));
    }
    return new VersionFloor(f, floors);
  }

  /** The highest accepted version of a model, or 0 when none was accepted. */
  public synchronized long floor(String modelId) {
    return floors.getOrDefault(modelId, 0L);
  }

  /**
   * Checks a version against the floor.
   *
   * @throws RollbackException {@code update.rollback} when it is lower than the floor
   */
  public synchronized void check(String modelId, long version) throws RollbackException {
    long floor = floor(modelId);
    if (version < floor) {
      throw new RollbackException(
          "model "
              + modelId
              + " version "
              + version
              + " is lower than version "
              + floor
              + ", already accepted on this device; refusing the rollback");
    }
  }

  /** Checks, then raises the floor to {@code version} and persists it. */
  public synchronized void accept(String modelId, long version)
      throws RollbackException, IOException {
    check(modelId, version);
    if (version == floor(modelId)) {
      return;
    }
    floors.put(modelId, version);
    Path tmp = file.resolveSibling(FILE + ".tmp");
    JSON.writeValue(tmp.toFile(), floors);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
