// SPDX-License-Identifier: Apache-2.0
package dev.arca.tpm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A device's TPM identity as Arca uses it: the endorsement key (RSA 2048, TCG default template, the
 * key the manufacturer's EK certificate certifies) and one attestation key (ECC P-256, ECDSA with
 * SHA-256, a restricted fixedTPM signing key) created under it.
 *
 * <p>The AK is created once and its TPM-wrapped blobs ({@value #AK_PUBLIC_FILE}: TPM2B_PUBLIC,
 * {@value #AK_PRIVATE_FILE}: TPM2B_PRIVATE, encrypted by the TPM under the EK) are kept in the
 * runtime's state directory; later boots load the same key from them, so an enrolment stays valid
 * across reboots. No secret is ever written: the private blob opens only inside this TPM. The EK is
 * re-derived from its template on each open (the same template always yields the same key).
 */
public final class DeviceKeys {
  /** File in the state directory holding the AK's TPM2B_PUBLIC. */
  public static final String AK_PUBLIC_FILE = "tpm2-ak.pub";

  /** File in the state directory holding the AK's TPM-wrapped TPM2B_PRIVATE. */
  public static final String AK_PRIVATE_FILE = "tpm2-ak.priv";

  private final Tpm2Tools tools;
  private final TpmObject ek;
  private final TpmObject ak;
  private final boolean created;

  private DeviceKeys(Tpm2Tools tools, TpmObject ek, TpmObject ak, boolean created) {
    this.tools = tools;
    this.ek = ek;
    this.ak = ak;
    this.created = created;
  }

  /**
   * Opens the device keys: derives the EK, then loads the AK from {@code stateDir}'s blobs, or
   * creates it (and writes the blobs) when there are none.
   *
   * @throws TpmToolException when the TPM refuses (e.g. blobs made by another TPM)
   * @throws IOException when the state directory cannot be written
   */
  public static DeviceKeys open(Tpm2Tools tools, Path stateDir) throws IOException {
    Objects.requireNonNull(tools, "tools");
    Files.createDirectories(stateDir);
    TpmObject ek = tools.createEk(Tpm2Tools.KeyType.RSA);
    Path pub = stateDir.resolve(AK_PUBLIC_FILE);
    Path priv = stateDir.resolve(AK_PRIVATE_FILE);
    if (Files.isRegularFile(pub) && Files.isRegularFile(priv)) {
      return new DeviceKeys(tools, ek, tools.loadUnderEk(ek, pub, priv), false);
    }
    // Written under temporary names and moved into place, so a crash never leaves half a key.
    Path pubTmp = stateDir.resolve(AK_PUBLIC_FILE + ".new");
    Path privTmp = stateDir.resolve(AK_PRIVATE_FILE + ".new");
    try {
      TpmObject ak =
          tools.createAk(
              ek, Tpm2Tools.KeyType.ECC, "sha256", Tpm2Tools.SignScheme.ECDSA, pubTmp, privTmp);
      Files.move(privTmp, priv, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(pubTmp, pub, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return new DeviceKeys(tools, ek, ak, true);
    } finally {
      Files.deleteIfExists(pubTmp);
      Files.deleteIfExists(privTmp);
    }
  }

  /** The TPM these keys live in. */
  public Tpm2Tools tools() {
    return tools;
  }

  /** The endorsement key (RSA 2048). */
  public TpmObject ek() {
    return ek;
  }

  /** The attestation key (ECC P-256, ECDSA/SHA-256). */
  public TpmObject ak() {
    return ak;
  }

  /** True when this open created the AK (a new device identity), false when it loaded it. */
  public boolean created() {
    return created;
  }

  @Override
  public String toString() {
    return "DeviceKeys[ak=" + ak.nameHex() + ", created=" + created + "]";
  }
}
