package dev.floe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEveryUnit() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse(" 5 m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void rejectsZeroAndUnknownUnits() {
    assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("longer than zero");
    assertThatThrownBy(() -> Durations.parse("10 minutes"))
        .hasMessage("'10 minutes' is not a duration");
    assertThatThrownBy(() -> Durations.parse("PT10S")).hasMessageContaining("not a duration");
  }

  @Test
  void formatsInTheSameSyntaxShortestExactUnit() {
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofDays(2))).isEqualTo("2d");
    for (String text : new String[] {"250ms", "45s", "15m", "6h", "3d"}) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }
  }
}
