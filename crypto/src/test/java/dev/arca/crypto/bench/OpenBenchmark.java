// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.bench;

import dev.arca.crypto.seal.OpenedModel;
import dev.arca.crypto.seal.PlaintextCheck;
import dev.arca.crypto.seal.SealedModel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Opening a sealed 256 MiB model (signature check, key check, Tink AES256_GCM_HKDF_1MB into a
 * direct buffer) against raw JDK AES-256-GCM over the same plaintext in 1 MiB segments, both
 * reading their ciphertext from a file into the same direct buffer. Run by {@link
 * CryptoBenchmarks}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenBenchmark {
  static final long SIZE = 256L << 20;

  BenchFixtures fx;
  ByteBuffer out;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fx = new BenchFixtures(SIZE);
    out = ByteBuffer.allocateDirect((int) SIZE);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    fx.delete();
  }

  @Benchmark
  public int openAeadOnly() throws Exception {
    out.clear();
    OpenedModel m = SealedModel.open(fx.sealed, fx.ring, fx.dataKey, out, PlaintextCheck.AEAD_ONLY);
    return m.plaintext().get(12345);
  }

  @Benchmark
  public int openWithSha256() throws Exception {
    out.clear();
    OpenedModel m = SealedModel.open(fx.sealed, fx.ring, fx.dataKey, out, PlaintextCheck.SHA256);
    return m.plaintext().get(12345);
  }

  @Benchmark
  public int rawJdkAesGcm() throws Exception {
    fx.rawDecrypt(out);
    return out.get(12345);
  }
}
