// SPDX-License-Identifier: Apache-2.0
package dev.arca.evidence.sevsnp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * An offline directory of VCEK certificates, filled ahead of time (for example by a provisioning
 * job that calls AMD's key distribution service off the request path, which AMD throttles). The
 * verifier only reads it; nothing is ever fetched while verifying.
 *
 * <p>Layout: {@code <dir>/<chip_id hex, 128 digits>/<reported_tcb hex, 16 digits>.der} (or {@code
 * .pem}), the TCB in report byte order — the same key AMD's service uses for a VCEK, since one chip
 * has one VCEK per TCB.
 */
public final class VcekCache {
  private final Path dir;

  /**
   * @param dir the cache directory (need not exist; a missing entry is simply a miss)
   */
  public VcekCache(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** The path where the VCEK for {@code chipId} at {@code reportedTcb} is kept, as DER. */
  public Path pathFor(byte[] chipId, TcbVersion reportedTcb) {
    return dir.resolve(HexFormat.of().formatHex(chipId)).resolve(reportedTcb.hex() + ".der");
  }

  /**
   * The cached VCEK bytes (DER or PEM), if present.
   *
   * @throws IOException when the entry exists but cannot be read
   */
  public Optional<byte[]> find(byte[] chipId, TcbVersion reportedTcb) throws IOException {
    Path der = pathFor(chipId, reportedTcb);
    if (Files.isRegularFile(der)) {
      return Optional.of(Files.readAllBytes(der));
    }
    Path pem = der.resolveSibling(reportedTcb.hex() + ".pem");
    if (Files.isRegularFile(pem)) {
      return Optional.of(Files.readAllBytes(pem));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "VcekCache[" + dir + "]";
  }
}
