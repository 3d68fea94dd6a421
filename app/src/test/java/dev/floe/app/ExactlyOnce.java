package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The verdict of the crash tests: every produced record is in the table, and only once. */
final class ExactlyOnce {
  private ExactlyOnce() {}

  /**
   * @param table names the table in the messages
   * @param positions each row's Kafka position, "partition/offset"
   */
  static void assertExactlyOnce(
      String table, List<String> positions, List<RecordMetadata> produced, int records) {
    Map<String, Long> copies =
        positions.stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    Set<String> expected =
        produced.stream().map(m -> m.partition() + "/" + m.offset()).collect(Collectors.toSet());
    // the messages list the positions themselves, a few of them
    assertThat(
            copies.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .limit(10)
                .toList())
        .as("%s: records written twice", table)
        .isEmpty();
    assertThat(expected.stream().filter(x -> !copies.containsKey(x)).limit(20).toList())
        .as("%s: records lost", table)
        .isEmpty();
    assertThat(positions).as("%s: rows", table).hasSize(records);
  }
}
