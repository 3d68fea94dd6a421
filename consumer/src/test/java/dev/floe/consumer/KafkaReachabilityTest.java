package dev.floe.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.config.ConfigParser;
import dev.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaReachabilityTest {
  @Test
  void mappingsThatReadNothingYetAreNamedWithTheirKeys() {
    FloeConfig config =
        new ConfigParser(KafkaSettings::isKnownKey, System::getenv)
            .parse(
                """
                kafka: {bootstrap.servers: "localhost:9092"}
                schema-registry: {url: "http://localhost:8081"}
                warehouse: w
                tables:
                  - topics: [orders, refunds]
                    table: sales.${topic}
                  - topic-pattern: "web\\\\..*"
                    table: web.${topic}
                  - topic-pattern: "app\\\\..*"
                    table: app.${topic}
                """,
                Path.of("."));

    assertThat(KafkaReachability.unmatched(config, Set.of("orders", "app.clicks", "other")))
        .containsExactly(
            "'tables[0].topics': topic 'refunds' does not exist yet; Floe reads it once it is created",
            "'tables[1].topic-pattern' /web\\..*/ matches no topic yet (the cluster has 3);"
                + " topics created later are picked up within metadata.max.age.ms");
  }
}
