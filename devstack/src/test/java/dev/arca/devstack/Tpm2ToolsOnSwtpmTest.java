// SPDX-License-Identifier: Apache-2.0
package dev.arca.devstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arca.tpm.DeviceKeys;
import dev.arca.tpm.Tpm2Tools;
import dev.arca.tpm.TpmEnroller;
import dev.arca.tpm.TpmObject;
import dev.arca.tpm.TpmQuote;
import dev.arca.tpm.TpmToolException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code tpm} module's commands ({@link Tpm2Tools}, {@link DeviceKeys}, {@link TpmEnroller})
 * against a real software TPM. They live here, not in {@code tpm}, because devstack depends on
 * {@code tpm} for {@link Swtpm} and Maven refuses the cycle a test dependency back would make
 * (docs/architecture.md). Skips, naming the tools, when they are not installed.
 */
class Tpm2ToolsOnSwtpmTest {
  private static Swtpm tpm;

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = Swtpm.missingToolsForTests();
    Assumptions.assumeTrue(
        missing.isEmpty(), "needs swtpm, swtpm-tools and tpm2-tools; missing: " + missing);
    tpm = Swtpm.start();
  }

  @AfterAll
  static void stop() {
    if (tpm != null) {
      tpm.close();
    }
  }

  @Test
  void nameIsNameAlgAndDigestOfThePublicArea() throws Exception {
    TpmObject ek = tpm.tools().createEk(Tpm2Tools.KeyType.RSA);
    TpmObject ak =
        tpm.tools().createAk(ek, Tpm2Tools.KeyType.ECC, "sha256", Tpm2Tools.SignScheme.ECDSA);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(ak.publicArea());
    assertThat(Arrays.copyOfRange(ak.name(), 2, ak.name().length)).isEqualTo(digest);
    assertThat(ak.nameHex()).startsWith("000b");
  }

  @Test
  void quoteCarriesTheNonceAndTheExtendedPcr() throws Exception {
    Tpm2Tools t = tpm.tools();
    TpmObject ek = t.createEk(Tpm2Tools.KeyType.RSA);
    TpmObject ak = t.createAk(ek, Tpm2Tools.KeyType.RSA, "sha256", Tpm2Tools.SignScheme.RSASSA);
    byte[] before = t.pcrRead("sha256", List.of(16)).get(16);
    byte[] measurement = MessageDigest.getInstance("SHA-256").digest("x".getBytes(UTF_8));
    t.pcrExtend(16, "sha256", measurement);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(before);
    byte[] expected = sha.digest(measurement);
    byte[] nonce = {1, 2, 3, 4, 5, 6, 7, 8};
    TpmQuote q = t.quote(ak, nonce, "sha256", List.of(0, 16), "sha256");
    assertThat(q.pcrs().get(16)).isEqualTo(expected);
    assertThat(q.pcrs().keySet()).containsExactly(0, 16);
    byte[] attest = q.attest();
    assertThat(Arrays.copyOfRange(attest, 0, 4))
        .isEqualTo(new byte[] {(byte) 0xff, 0x54, 0x43, 0x47});
    // qualifiedSigner (2 + 34 bytes) follows magic and type; then extraData as TPM2B.
    int extraAt = 6 + 2 + 34;
    assertThat(Arrays.copyOfRange(attest, extraAt, extraAt + 2 + nonce.length))
        .isEqualTo(new byte[] {0, 8, 1, 2, 3, 4, 5, 6, 7, 8});
    assertThat(q.pcrsText()).contains("16 " + java.util.HexFormat.of().formatHex(expected));
  }

  @Test
  void akBlobsLoadBackAsTheSameKeyUnderTheEk() throws Exception {
    Tpm2Tools t = tpm.tools();
    TpmObject ek = t.createEk(Tpm2Tools.KeyType.RSA);
    Path dir = Files.createTempDirectory("arca-ak-blobs-");
    try {
      Path pub = dir.resolve("ak.pub");
      Path priv = dir.resolve("ak.priv");
      TpmObject ak =
          t.createAk(ek, Tpm2Tools.KeyType.ECC, "sha256", Tpm2Tools.SignScheme.ECDSA, pub, priv);
      assertThat(pub).isNotEmptyFile();
      assertThat(priv).isNotEmptyFile();
      TpmObject loaded = t.loadUnderEk(ek, pub, priv);
      assertThat(loaded.name()).isEqualTo(ak.name());
      assertThat(loaded.reference()).isNotEqualTo(ak.reference());
      // The loaded key signs: a quote with it succeeds.
      assertThat(t.quote(loaded, new byte[] {1}, "sha256", List.of(0), "sha256").akPublic())
          .isEqualTo(ak.publicArea());
    } finally {
      for (String f : List.of("ak.pub", "ak.priv")) {
        Files.deleteIfExists(dir.resolve(f));
      }
      Files.deleteIfExists(dir);
    }
  }

  @Test
  void pcr23ResetsToZeroAndExtendsFromThere() throws Exception {
    Tpm2Tools t = tpm.tools();
    byte[] m = MessageDigest.getInstance("SHA-256").digest("y".getBytes(UTF_8));
    t.pcrExtend(23, "sha256", m);
    t.pcrReset(23);
    assertThat(t.pcrRead("sha256", List.of(23)).get(23)).isEqualTo(new byte[32]);
    t.pcrExtend(23, "sha256", m);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(new byte[32]);
    assertThat(t.pcrRead("sha256", List.of(23)).get(23)).isEqualTo(sha.digest(m));
    assertThatThrownBy(() -> t.pcrReset(0))
        .isInstanceOf(TpmToolException.class)
        .hasMessageContaining("tpm2_pcrreset failed");
  }

  @Test
  void deviceKeysCreateTheAkOnceAndLoadItOnTheNextOpen() throws Exception {
    Path state = Files.createTempDirectory("arca-device-keys-");
    try {
      DeviceKeys first = DeviceKeys.open(tpm.tools(), state);
      DeviceKeys second = DeviceKeys.open(tpm.tools(), state);
      assertThat(first.created()).isTrue();
      assertThat(second.created()).isFalse();
      assertThat(second.ak().name()).isEqualTo(first.ak().name());
      assertThat(second.ek().name()).isEqualTo(first.ek().name());
      try (var files = Files.list(state)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrder(DeviceKeys.AK_PUBLIC_FILE, DeviceKeys.AK_PRIVATE_FILE);
      }
      TpmEnroller.Request r = new TpmEnroller(second, tpm.ekIntermediates()).request();
      assertThat(r.akPublic()).isEqualTo(first.ak().publicArea());
      assertThat(r.ekPublic()).isEqualTo(first.ek().publicArea());
      assertThat(r.ekChain()).hasSize(1);
      assertThat(r.toJson()).containsOnlyKeys("ekCertificate", "ekChain", "ekPublic", "akPublic");
      assertThat(new TpmEnroller(second, List.of()).identity())
          .isEqualTo("tpm2:ak:" + first.ak().nameHex());
    } finally {
      for (String f : List.of(DeviceKeys.AK_PUBLIC_FILE, DeviceKeys.AK_PRIVATE_FILE)) {
        Files.deleteIfExists(state.resolve(f));
      }
      Files.deleteIfExists(state);
    }
  }

  @Test
  void failingCommandSaysWhichAndWhy() {
    assertThatThrownBy(() -> tpm.tools().nvRead(0x01c0ffff))
        .isInstanceOf(TpmToolException.class)
        .hasMessageContaining("tpm2_nvread failed with exit code");
  }

  @Test
  void aSealedSecretUnsealsOnlyWhileThePcrsHoldTheirValues() throws Exception {
    Tpm2Tools t = tpm.tools();
    t.pcrReset(23);
    byte[] secret = "thirty-two bytes of lease key!!!".getBytes(UTF_8);
    List<Integer> pcrs = List.of(0, 1, 2, 3, 4, 5, 6, 7, 23);
    Tpm2Tools.SealedObject sealed = t.seal(secret, "sha256", pcrs);
    assertThat(new String(sealed.privateBlob(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(secret, java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThat(t.unseal(sealed, "sha256", pcrs)).isEqualTo(secret);

    t.pcrExtend(23, "sha256", new byte[32]);
    assertThatThrownBy(() -> t.unseal(sealed, "sha256", pcrs))
        .isInstanceOf(TpmToolException.class)
        .hasMessageContaining("tpm2_unseal")
        .hasMessageContaining("policy check failed");
    t.pcrReset(23);
    assertThat(t.unseal(sealed, "sha256", pcrs)).isEqualTo(secret);
  }

  @Test
  void anNvCounterIsDefinedOnFirstUseAndOnlyCountsUp() throws Exception {
    Tpm2Tools t = tpm.tools();
    int index = 0x012a7e57;
    assertThat(t.nvCounter(index)).isEmpty();
    long first = t.nvIncrement(index);
    assertThat(first).isPositive();
    assertThat(t.nvIncrement(index)).isEqualTo(first + 1);
    assertThat(t.nvCounter(index)).hasValue(first + 1);
  }

  @Test
  void extendingManyAtOnceEqualsExtendingOneByOne() throws Exception {
    Tpm2Tools t = tpm.tools();
    List<byte[]> digests = new java.util.ArrayList<>();
    for (int i = 0; i < 70; i++) {
      digests.add(MessageDigest.getInstance("SHA-256").digest(new byte[] {(byte) i}));
    }
    t.pcrReset(23);
    for (byte[] d : digests) {
      t.pcrExtend(23, "sha256", d);
    }
    byte[] oneByOne = t.pcrRead("sha256", List.of(23)).get(23);
    t.pcrReset(23);
    t.pcrExtendAll(23, "sha256", digests);
    assertThat(t.pcrRead("sha256", List.of(23)).get(23)).isEqualTo(oneByOne);
  }
}
