package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8ValidationTest {
  @Test
  void wellFormedTextOfEveryLengthPasses() {
    for (String s :
        new String[] {
          "", "plain", "größe", "€ 5", "日本", "😀 emoji", "\u007f\u0080\u07ff\u0800\uffff"
        }) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      assertThatCode(() -> Utf8Validation.check(b, b.length)).as(s).doesNotThrowAnyException();
    }
  }

  @Test
  void malformedSequencesAreNamedWithTheirPosition() {
    assertThatThrownBy(() -> check(0x61, 0x80)).hasMessageContaining("byte 0x80 at position 1");
    assertThatThrownBy(() -> check(0xc0, 0x80)).as("overlong").isInstanceOf(IOException.class);
    assertThatThrownBy(() -> check(0xe0, 0x80, 0x80))
        .as("overlong 3")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> check(0xed, 0xa0, 0x80))
        .as("surrogate")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> check(0xf4, 0x90, 0x80, 0x80))
        .as("beyond U+10FFFF")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> check(0x61, 0xe2, 0x82))
        .as("cut short")
        .hasMessageContaining("position 1");
  }

  @Test
  void agreesWithTheJdksStrictDecoderOnRandomBytes() {
    Random random = new Random(5);
    for (int run = 0; run < 20_000; run++) {
      byte[] b = new byte[random.nextInt(12)];
      for (int i = 0; i < b.length; i++) { // bias toward the interesting bytes
        b[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
      }
      boolean jdk = jdkAccepts(b);
      boolean ours;
      try {
        Utf8Validation.check(b, b.length);
        ours = true;
      } catch (IOException e) {
        ours = false;
      }
      assertThat(ours).as("bytes %s", java.util.HexFormat.of().formatHex(b)).isEqualTo(jdk);
    }
  }

  private static void check(int... bytes) throws IOException {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    Utf8Validation.check(b, b.length);
  }

  private static boolean jdkAccepts(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
