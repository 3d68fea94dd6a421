package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import org.apache.kafka.clients.admin.Admin;

/**
 * What a running {@code floe run} offers operators besides its logs: the HTTP endpoint with
 * metrics, health and status, and the Kafka probe behind readiness.
 */
final class Operations implements AutoCloseable {
  private final KafkaProbe probe;
  private final Admin admin;
  private final HttpEndpoint endpoint;

  private Operations(KafkaProbe probe, Admin admin, HttpEndpoint endpoint) {
    this.probe = probe;
    this.admin = admin;
    this.endpoint = endpoint;
  }

  static Operations start(FloeConfig config, Materializer materializer, Metrics metrics) {
    if (!config.http().enabled()) {
      return new Operations(null, null, null); // the probe only serves readiness
    }
    KafkaProbe probe = new KafkaProbe(config).start();
    Admin admin = Admin.create(AdminProperties.of(config));
    Health health =
        new Health(materializer.stats(), materializer::failure, probe, config.unhealthyAfter());
    StatusCollector status =
        new StatusCollector(config, materializer.sinks(), admin, materializer.stats());
    try {
      HttpEndpoint endpoint = HttpEndpoint.start(config.http(), metrics, health, status::report);
      if (endpoint != null) {
        return new Operations(probe, admin, endpoint);
      }
    } catch (RuntimeException e) {
      probe.close();
      admin.close();
      throw e;
    }
    probe.close(); // the default port was taken: nothing to serve
    admin.close();
    return new Operations(null, null, null);
  }

  /** The bound port, or -1 when no endpoint is served. */
  int port() {
    return endpoint == null ? -1 : endpoint.port();
  }

  @Override
  public void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (probe != null) {
      probe.close();
      admin.close(java.time.Duration.ofSeconds(1));
    }
  }
}
