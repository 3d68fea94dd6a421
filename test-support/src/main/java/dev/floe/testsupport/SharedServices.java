package dev.floe.testsupport;

import dev.floe.embedded.KafkaBroker;

/**
 * One Kafka broker and one schema registry for all integration tests of a test JVM, started on
 * first use and stopped when the JVM exits. Tests stay independent by using their own topics,
 * consumer groups and warehouses; a test that restarts or breaks a service (fault tests) starts its
 * own.
 */
public final class SharedServices {
  private static KafkaBroker broker;
  private static SchemaRegistry registry;

  private SharedServices() {}

  public static synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = KafkaBroker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "shared-kafka-stop"));
    }
    return broker;
  }

  public static synchronized SchemaRegistry registry() {
    if (registry == null) {
      registry = SchemaRegistry.start();
      Runtime.getRuntime().addShutdownHook(new Thread(registry::stop, "shared-registry-stop"));
    }
    return registry;
  }
}
