package dev.floe.app;

import dev.floe.core.config.FloeConfig;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the brokers for the cluster id every few seconds, for readiness. A consumer's poll returns
 * nothing, without an error, while no broker answers; without this probe an idle Floe would look
 * ready with its brokers gone.
 */
final class KafkaProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaProbe.class);

  private final Admin admin;
  private final Duration every;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "floe-kafka-probe");
            t.setDaemon(true);
            return t;
          });
  private volatile long failingSinceNanos = -1;
  private volatile String lastFailure;

  KafkaProbe(FloeConfig config) {
    // probe often enough to notice an outage well within the unhealthy-after threshold
    long ms = Math.max(200, Math.min(5_000, config.unhealthyAfter().toMillis() / 4));
    this.every = Duration.ofMillis(ms);
    var props = AdminProperties.of(config);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ms);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ms);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "floe-probe-" + ProcessHandle.current().pid());
    this.admin = Admin.create(props);
  }

  KafkaProbe start() {
    timer.scheduleWithFixedDelay(this::probe, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void probe() {
    try {
      admin.describeCluster().clusterId().get(every.toMillis(), TimeUnit.MILLISECONDS);
      if (failingSinceNanos >= 0) {
        LOG.info("Kafka answers again");
      }
      failingSinceNanos = -1;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      if (failingSinceNanos < 0) {
        failingSinceNanos = System.nanoTime();
        LOG.warn("Kafka does not answer: {}", e.toString());
      }
      lastFailure = e.getClass().getSimpleName();
    }
  }

  /** How long the brokers have not answered; zero while they do. */
  Duration failingFor() {
    long since = failingSinceNanos;
    return since < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
  }

  String lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    admin.close(Duration.ofSeconds(1));
  }
}
