// SPDX-License-Identifier: Apache-2.0
package dev.arca.crypto.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A data key: its import checks, comparison, destruction and the key check value it derives. */
class DataKeyTest {
  static byte[] bytes(int first) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (first + i);
    }
    return b;
  }

  @Test
  void keyCheckIsHmacSha256OfLabelAndManifestDigest() throws Exception {
    byte[] raw = bytes(1);
    byte[] digest = bytes(100);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(raw, "HmacSHA256"));
    mac.update("arca/sealed-model/key-check/v1".getBytes(StandardCharsets.US_ASCII));
    byte[] expected = mac.doFinal(digest);

    DataKey key = DataKey.fromBytes(raw, InsecureSecretKeyAccess.get());
    assertThat(key.keyCheck(digest)).isEqualTo(expected);
  }

  @Test
  void onlyThirtyTwoBytesImport() {
    for (byte[] raw : new byte[][] {null, new byte[31], new byte[33]}) {
      assertThatThrownBy(() -> DataKey.fromBytes(raw, InsecureSecretKeyAccess.get()))
          .isInstanceOfSatisfying(
              SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.WRONG_DATA_KEY));
    }
  }

  @Test
  void keysCompareByTheirBytes() throws Exception {
    DataKey a = DataKey.fromBytes(bytes(1), InsecureSecretKeyAccess.get());
    assertThat(a.sameKeyAs(DataKey.fromBytes(bytes(1), InsecureSecretKeyAccess.get()))).isTrue();
    assertThat(a.sameKeyAs(DataKey.fromBytes(bytes(2), InsecureSecretKeyAccess.get()))).isFalse();
    assertThat(a.sameKeyAs(DataKey.generate(new SecureRandom()))).isFalse();
  }

  @Test
  void aDestroyedKeyIsUnusable() throws Exception {
    DataKey key = DataKey.generate();
    assertThat(key.isDestroyed()).isFalse();
    key.destroy();
    assertThat(key.isDestroyed()).isTrue();
    assertThatThrownBy(() -> key.keyCheck(new byte[32]))
        .isInstanceOfSatisfying(
            SealException.class, e -> assertThat(e.id()).isEqualTo(SealException.WRONG_DATA_KEY));
  }

  @Test
  void destroyWipesTheKeyBytesInPlace() throws Exception {
    DataKey key = DataKey.generate();
    // White-box on purpose: the wipe is not observable through the API, and it is the point.
    java.lang.reflect.Field field = DataKey.class.getDeclaredField("key");
    field.setAccessible(true);
    byte[] held = (byte[]) field.get(key);
    assertThat(held).as("a fresh key is not all zeros").isNotEqualTo(new byte[held.length]);
    key.destroy();
    assertThat(held).containsOnly((byte) 0);
  }
}
