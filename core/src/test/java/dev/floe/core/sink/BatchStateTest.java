package dev.floe.core.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchStateTest {
  private final BatchState state = new BatchState("table db.t");
  private final AtomicInteger closes = new AtomicInteger();

  @Test
  void anOpenBatchTakesRowsAndAbortClosesAndDeletesItsFiles() {
    state.requireOpen();
    assertThat(state.open()).isTrue();
    assertThat(state.failed()).isFalse();

    assertThat(state.abort(closes::incrementAndGet)).as("delete the files").isTrue();
    assertThat(closes).hasValue(1);
    assertThat(state.open()).isFalse();
    assertThatThrownBy(state::requireOpen)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Batch of table db.t is committed or aborted: start a new one");
  }

  @Test
  void aFailedBatchCanOnlyBeAborted() {
    state.fail();

    assertThat(state.failed()).isTrue();
    assertThat(state.open()).isFalse();
    assertThatThrownBy(state::requireOpen).hasMessage("Batch of table db.t is failed: abort it");
    assertThat(state.abort(closes::incrementAndGet)).isTrue();
    assertThat(closes).hasValue(1);
    assertThat(state.failed()).as("aborted").isFalse();
  }

  @Test
  void aCommittedBatchKeepsItsFilesOnAbort() {
    state.close();
    state.committed();

    assertThat(state.abort(closes::incrementAndGet)).as("the files are the table's").isFalse();
    assertThat(closes).hasValue(0);
    assertThatThrownBy(state::requireOpen).hasMessageContaining("committed or aborted");
  }

  @Test
  void aBatchWhoseCommitFailedDeletesItsFilesWithoutClosingThemAgain() {
    state.close();

    assertThat(state.abort(closes::incrementAndGet)).isTrue();
    assertThat(state.abort(closes::incrementAndGet)).as("abort twice").isTrue();
    assertThat(closes).hasValue(0);
  }

  @Test
  void aFailureToCloseStillDeletesTheFiles() {
    assertThat(
            state.abort(
                () -> {
                  throw new IllegalStateException("disk gone");
                }))
        .isTrue();
  }
}
