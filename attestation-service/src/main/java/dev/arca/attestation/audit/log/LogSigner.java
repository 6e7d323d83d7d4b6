// SPDX-License-Identifier: Apache-2.0
package dev.arca.attestation.audit.log;

import dev.arca.attestation.keyrelease.ServiceKeys;
import dev.arca.transparency.checkpoint.CheckpointSigner;
import dev.arca.transparency.checkpoint.CheckpointVerifier;
import dev.arca.transparency.note.Ed25519NoteSigner;
import dev.arca.transparency.note.Ed25519NoteVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The log's checkpoint key: an Ed25519 note key whose 32-byte seed is a service secret (created
 * once in PostgreSQL, wrapped under the KEK, shared by every replica; never plaintext on disk). The
 * origin line and key name are {@code arca.audit.log-origin}.
 */
@ApplicationScoped
public class LogSigner {
  private static final String SECRET_NAME = "audit-log-checkpoint-key";

  @Inject ServiceKeys keys;
  @Inject Clock clock;

  @ConfigProperty(name = "arca.audit.log-origin", defaultValue = "arca.dev/audit-log")
  String origin;

  private volatile CheckpointSigner signer;
  private volatile Ed25519NoteVerifier verifier;

  /** Signs checkpoints for this log. */
  public CheckpointSigner signer() {
    CheckpointSigner s = signer;
    if (s == null) {
      synchronized (this) {
        if (signer == null) {
          byte[] seed = keys.sharedSecret(SECRET_NAME, clock);
          try {
            Ed25519NoteSigner key = Ed25519NoteSigner.fromSeed(origin, seed);
            verifier = key.verifier();
            signer = new CheckpointSigner(origin, key);
          } finally {
            Arrays.fill(seed, (byte) 0);
          }
        }
        s = signer;
      }
    }
    return s;
  }

  /** The public verifier key, {@code <name>+<id>+<base64>}. */
  public String vkey() {
    signer();
    return verifier.vkey();
  }

  /** A verifier pinned to this log's origin and key. */
  public CheckpointVerifier checkpointVerifier() {
    signer();
    return new CheckpointVerifier(origin, List.of(verifier));
  }
}
