// SPDX-License-Identifier: Apache-2.0
package dev.arca.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arca.client.tensor.Tensor;
import dev.arca.client.tensor.TensorFormatException;
import dev.arca.client.tensor.TensorProtoCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxModelTest {

  static byte[] resource(String path) throws IOException {
    try (InputStream in = OnnxModelTest.class.getResourceAsStream("/vectors/onnx/" + path)) {
      assertThat(in).as("test resource %s", path).isNotNull();
      return in.readAllBytes();
    }
  }

  static ByteBuffer direct(byte[] bytes) {
    ByteBuffer b = ByteBuffer.allocateDirect(bytes.length);
    b.put(bytes).flip();
    return b;
  }

  @Test
  void conv2dMatchesTheExpectedOutputAndTheModelBufferIsWiped() throws Exception {
    ByteBuffer model = direct(resource("test_Conv2d/model.onnx"));
    Tensor input = TensorProtoCodec.decode(resource("test_Conv2d/test_data_set_0/input_0.pb"), "x");
    Tensor expected =
        TensorProtoCodec.decode(resource("test_Conv2d/test_data_set_0/output_0.pb"), "y");
    try (OnnxModel m = OnnxModel.load(model)) {
      for (int i = 0; i < model.capacity(); i++) {
        assertThat(model.get(i)).as("model byte %d after load", i).isZero();
      }
      String inputName = m.inputs().keySet().iterator().next();
      Map<String, Tensor> out = m.run(Map.of(inputName, input.named(inputName)));
      Tensor y = out.values().iterator().next();
      assertThat(y.shape()).isEqualTo(expected.shape());
      float[] got = y.floats();
      float[] want = expected.floats();
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
      }
    }
  }

  @Test
  void lightSqueezenetLoadsAndReturnsItsExpectedOutput() throws Exception {
    Tensor expected = TensorProtoCodec.decode(resource("light_squeezenet_output_0.pb"), "y");
    try (OnnxModel m = OnnxModel.load(direct(resource("light_squeezenet.onnx")))) {
      String inputName = m.inputs().keySet().iterator().next();
      int n = 3 * 224 * 224;
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) i / n;
      }
      Tensor in = Tensor.ofFloats(inputName, new long[] {1, 3, 224, 224}, x);
      Tensor y = m.run(Map.of(inputName, in)).values().iterator().next();
      float[] got = y.floats();
      float[] want = expected.floats();
      assertThat(got).hasSameSizeAs(want);
      for (int i = 0; i < want.length; i++) {
        assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-5f));
      }
    }
  }

  @Test
  void aWrongShapeIsRefusedWithAnId() throws Exception {
    try (OnnxModel m = OnnxModel.load(direct(resource("test_Conv2d/model.onnx")))) {
      String inputName = m.inputs().keySet().iterator().next();
      Tensor wrong = Tensor.ofFloats(inputName, new long[] {1, 1}, new float[] {1f});
      assertThatThrownBy(() -> m.run(Map.of(inputName, wrong)))
          .isInstanceOfSatisfying(
              TensorFormatException.class,
              e -> assertThat(e.id()).isEqualTo("tensor.rejected-by-model"));
    }
  }

  @Test
  void garbageIsNotAModel() {
    ByteBuffer junk = direct(new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> OnnxModel.load(junk)).isInstanceOf(ModelLoadException.class);
    assertThat(junk.get(0)).isZero();
  }
}
