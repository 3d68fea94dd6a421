package dev.floe.consumer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floe.core.FloeException;
import dev.floe.core.config.RegistrySettings;
import dev.floe.testsupport.SchemaRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry client against a real Apicurio Registry (Confluent API). This class restarts and
 * stops registries, so it starts its own instead of using the shared one.
 */
class SchemaRegistryClientIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  static SchemaRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = SchemaRegistry.start();
  }

  @AfterAll
  static void stopRegistry() {
    registry.stop();
  }

  @Test
  void fetchesARegisteredAvroSchemaById() {
    Schema order = record("Order");
    int id = registry.register("orders-value", "AVRO", order.toString());
    SchemaRegistryClient client = client(registry.url(), Duration.ofSeconds(30));

    RegisteredSchema fetched = client.schema(id);

    assertThat(fetched.id()).isEqualTo(id);
    assertThat(fetched.type()).isEqualTo("AVRO");
    assertThat(new Schema.Parser().parse(fetched.text())).isEqualTo(order);
  }

  @Test
  void unknownIdFailsAtOnceNamingTheIdAndTheRegistry() {
    SchemaRegistryClient client = client(registry.url(), Duration.ofSeconds(30));
    long started = System.nanoTime();

    assertThatThrownBy(() -> client.schema(987_654))
        .isInstanceOf(SchemaRegistryClient.UnknownSchemaException.class)
        .hasMessageContaining("schema id 987654")
        .hasMessageContaining(registry.url())
        .hasMessageContaining("schema-registry.url");
    assertThat(elapsedSince(started)).as("not retried").isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void lookupDuringARegistryRestartIsRetriedUntilTheRegistryIsBack() throws Exception {
    Schema click = record("Click");
    int id = registry.register("clicks-value", "AVRO", click.toString());
    SchemaRegistryClient client = client(registry.url(), Duration.ofSeconds(60));

    // The fixture has no "stop, then start again later": restart() stops the child JVM and blocks
    // until a new one answers on the same port, which leaves the registry down for a few seconds.
    CompletableFuture<Void> restart = CompletableFuture.runAsync(registry::restart);
    await("registry to go down")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !listening(registry.port()));
    long started = System.nanoTime();
    CompletableFuture<RegisteredSchema> lookup =
        CompletableFuture.supplyAsync(() -> client.schema(id));

    restart.get();
    RegisteredSchema fetched = lookup.get();

    assertThat(new Schema.Parser().parse(fetched.text())).isEqualTo(click);
    assertThat(elapsedSince(started))
        .as("the lookup waited for the registry rather than answering from nowhere")
        .isGreaterThan(Duration.ofMillis(500));
  }

  /** A registry that was reachable, then goes away for good. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WhenTheRegistryIsStopped {
    static final Duration RETRY_FOR = Duration.ofSeconds(2);
    final Schema cachedSchema = record("Cached");
    SchemaRegistry stopped;
    SchemaRegistryClient client;
    int cachedId;
    int uncachedId;

    @BeforeAll
    void fetchOneSchemaThenStopTheRegistry() {
      stopped = SchemaRegistry.start();
      cachedId = stopped.register("cached-value", "AVRO", cachedSchema.toString());
      uncachedId = stopped.register("uncached-value", "AVRO", record("Uncached").toString());
      client = client(stopped.url(), RETRY_FOR);
      client.schema(cachedId);
      stopped.stop();
    }

    @Test
    void aFetchedSchemaIsServedFromTheCache() {
      long started = System.nanoTime();

      RegisteredSchema fetched = client.schema(cachedId);

      assertThat(new Schema.Parser().parse(fetched.text())).isEqualTo(cachedSchema);
      assertThat(elapsedSince(started)).isLessThan(Duration.ofMillis(100));
    }

    @Test
    void anotherIdFailsAfterRetryForNamingTheRegistryTheDurationAndTheFix() {
      long started = System.nanoTime();

      assertThatThrownBy(() -> client.schema(uncachedId))
          .isInstanceOf(FloeException.class)
          .hasMessageContaining(stopped.url())
          .hasMessageContaining("unreachable for 2s")
          .hasMessageContaining("start the registry or fix schema-registry.url");
      assertThat(elapsedSince(started)).isBetween(RETRY_FOR, RETRY_FOR.plusSeconds(10));
    }
  }

  static SchemaRegistryClient client(String url, Duration retryFor) {
    return new SchemaRegistryClient(new RegistrySettings(url, null, null, null, TIMEOUT, retryFor));
  }

  static Schema record(String name) {
    return new Schema.Parser()
        .parse(
            """
            {"type": "record", "name": "%s", "namespace": "it", "fields": [
              {"name": "id", "type": "long"},
              {"name": "note", "type": ["null", "string"], "default": null}
            ]}"""
                .formatted(name));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Duration elapsedSince(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
