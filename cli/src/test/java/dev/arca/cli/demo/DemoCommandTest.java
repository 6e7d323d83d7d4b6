package dev.arca.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.arca.cli.Arca;
import dev.arca.client.tensor.TensorProtoCodec;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code arca demo} exactly as a user does and checks each outcome it reports. */
class DemoCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();

  @BeforeAll
  static void repositoryRoot() {
    // Tests run in the cli module; the demo reads the sample policy from the checkout.
    System.setProperty("arca.home", Path.of("..").toAbsolutePath().normalize().toString());
  }

  private int run(String... args) {
    var cli = Arca.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    return cli.execute(args);
  }

  @Test
  void theDemoGrantsSyntheticRefusesPhiAndVerifiesTheLog() {
    assertThat(run("demo")).as(out.toString()).isEqualTo(Arca.OK);
    String text = out.toString();
    assertThat(text).contains("phi: DENY by software-attester-beyond-synthetic");
    assertThat(text).contains("synthetic: PERMIT by synthetic-data-anywhere");
    assertThat(text).contains("lease.data-class-not-granted");
    assertThat(text).contains("matches the expected output");
    assertThat(text).contains("each proven included in checkpoint");
    assertThat(text).contains("All 7 steps ok");
  }

  @Test
  void aUsersOwnModelRunsThroughTheSealedPathAndWritesItsOutput() throws Exception {
    Path model = copy("conv2d.onnx");
    Path input = copy("conv2d-input.pb");
    Path output = dir.resolve("out.pb");
    assertThat(
            run(
                "demo",
                "--model",
                model.toString(),
                "--input",
                input.toString(),
                "--output",
                output.toString()))
        .as(out.toString())
        .isEqualTo(Arca.OK);
    float[] got = TensorProtoCodec.decode(Files.readAllBytes(output), "y").floats();
    float[] want = TensorProtoCodec.decode(bytes("conv2d-output.pb"), "y").floats();
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(got[i]).isCloseTo(want[i], within(1e-5f));
    }
  }

  @Test
  void aDataClassThePolicyRefusesEndsTheDemoWithAFailure() {
    assertThat(run("demo", "--data-class", "phi")).isEqualTo(Arca.FAILED);
    assertThat(out.toString()).contains("nothing was granted for phi");
  }

  private Path copy(String name) throws Exception {
    return Files.write(dir.resolve(name), bytes(name));
  }

  private static byte[] bytes(String name) throws Exception {
    try (InputStream in = DemoCommandTest.class.getResourceAsStream("/dev/arca/cli/demo/" + name)) {
      return in.readAllBytes();
    }
  }
}
