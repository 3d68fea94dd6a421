package dev.floe.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void aMessageNamesTheProblemTheCauseAndTheFix() {
    FloeException e =
        Errors.of("cannot read table t", "check the catalog", new IllegalStateException("gone"));

    assertThat(e).hasMessage("cannot read table t: gone. Fix: check the catalog");
  }

  @Test
  void aWrapperThatPassesOnItsCausesFixSaysItOnce() {
    FloeException cause = Errors.of("Table t requires column 'region'", "add the field", null);

    FloeException e = Errors.of("cannot write it to table t", cause.fix(), cause);

    assertThat(e)
        .hasMessage(
            "cannot write it to table t: Table t requires column 'region'. Fix: add the field");
  }
}
