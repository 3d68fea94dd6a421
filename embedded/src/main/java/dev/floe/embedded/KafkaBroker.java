package dev.floe.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) running inside the test
 * JVM.
 *
 * <p>We drive {@link KafkaRaftServer} directly instead of Kafka's test kit: the test kit lives in
 * unpublished or test-jar modules whose layout changes between releases, while "format a log dir,
 * then start KafkaRaftServer" is exactly what {@code kafka-storage.sh format} + {@code
 * kafka-server-start.sh} do, so it tracks production behavior.
 *
 * <p>The client and controller ports and the log dir are fixed for the broker's lifetime, so {@link
 * #restart()} brings the same broker back with its data, which fault-injection tests rely on.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final int port;
  private final int controllerPort;
  private final Path logDir;
  private final boolean deleteLogDirOnStop;
  private KafkaRaftServer server;

  /**
   * Stops the broker if a test forgets to, e.g. when surefire ends its fork with System.exit after
   * a failure.
   */
  private final Thread shutdownHook =
      new Thread(this::shutdownServerAndCleanUp, "floe-kafka-broker-stopper");

  private KafkaBroker(int port, int controllerPort, Path logDir, boolean deleteLogDirOnStop) {
    this.port = port;
    this.controllerPort = controllerPort;
    this.logDir = logDir;
    this.deleteLogDirOnStop = deleteLogDirOnStop;
  }

  /**
   * Starts a broker on a random free loopback port with a fresh temporary log dir (deleted by
   * {@link #stop()}).
   */
  public static KafkaBroker start() {
    try {
      Path dir = Files.createTempDirectory("floe-kafka-");
      return start(FreePorts.pick(), FreePorts.pick(), dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not create a temporary Kafka log dir under java.io.tmpdir", e);
    }
  }

  /**
   * Starts a broker on free loopback ports with the given log dir, which is kept on {@link
   * #stop()}.
   */
  public static KafkaBroker start(Path logDir) {
    return start(FreePorts.pick(), FreePorts.pick(), logDir, false);
  }

  /**
   * Starts a broker on the given client and controller ports with the given log dir, which is
   * formatted if it is empty and reused (data kept) if a previous broker formatted it. The dir is
   * kept on {@link #stop()}.
   */
  public static KafkaBroker start(int port, int controllerPort, Path logDir) {
    return start(port, controllerPort, logDir, false);
  }

  private static KafkaBroker start(
      int port, int controllerPort, Path logDir, boolean deleteLogDirOnStop) {
    KafkaBroker broker = new KafkaBroker(port, controllerPort, logDir, deleteLogDirOnStop);
    try {
      broker.formatIfNeeded();
      broker.startServer();
    } catch (RuntimeException e) {
      if (deleteLogDirOnStop) {
        Dirs.deleteRecursively(logDir);
      }
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
    return broker;
  }

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:41234}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path logDir() {
    return logDir;
  }

  /** Creates a topic with replication factor 1 and waits until the controller has committed it. */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      awaitLeaders(admin, name);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Could not create topic '"
              + name
              + "' with "
              + partitions
              + " partitions on "
              + bootstrapServers()
              + ": "
              + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic '" + name + "'", e);
    }
  }

  /**
   * Waits until the broker's metadata shows a leader for every partition: a producer that sends
   * before that gets NOT_LEADER_OR_FOLLOWER on its first batch, and an idempotent producer with
   * later batches in flight can then retry out of sequence until its delivery timeout.
   */
  private static void awaitLeaders(Admin admin, String name)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      org.apache.kafka.clients.admin.TopicDescription description;
      try {
        description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
      } catch (ExecutionException e) {
        if (!(e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
        description = null; // created, but not yet in the metadata the broker answers from
      }
      if (description != null
          && description.partitions().stream()
              .allMatch(p -> p.leader() != null && p.leader().id() >= 0)
          && leadersServe(admin, name, description.partitions().size())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        "Topic '" + name + "' has partitions without a leader after 30 s");
  }

  /**
   * Whether every partition's leader answers a ListOffsets request: the metadata can name a leader
   * before its replica has taken over the partition, and a producer's first batch then still gets
   * NOT_LEADER_OR_FOLLOWER.
   */
  private static boolean leadersServe(Admin admin, String name, int partitions)
      throws InterruptedException {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
        new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(
          new org.apache.kafka.common.TopicPartition(name, p),
          org.apache.kafka.clients.admin.OffsetSpec.latest());
    }
    try {
      admin.listOffsets(latest).all().get();
      return true;
    } catch (ExecutionException e) { // not leading yet: ask again
      return false;
    }
  }

  /** An Admin client bound to this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  /**
   * Stops the broker and then starts it again on the same ports with the same log dir; data is
   * kept.
   */
  public synchronized void restart() {
    shutdownServer();
    startServer();
  }

  /** Stops the broker, keeps it down for {@code down}, then starts it again on the same ports. */
  public synchronized void restartAfter(java.time.Duration down) throws InterruptedException {
    shutdownServer();
    Thread.sleep(down.toMillis());
    startServer();
  }

  /**
   * Shuts the broker down cleanly (all Kafka threads end) and deletes the log dir if this fixture
   * created it.
   */
  public synchronized void stop() {
    shutdownServerAndCleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or about to run; it does the same work.
    }
  }

  private synchronized void shutdownServerAndCleanUp() {
    shutdownServer();
    if (deleteLogDirOnStop) {
      Dirs.deleteRecursively(logDir);
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Kafka refuses to start on an unformatted log dir; formatting is what {@code kafka-storage.sh
   * format} does.
   */
  private void formatIfNeeded() {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          // The formatter narrates to a PrintStream; tests have no use for that chatter.
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not format Kafka log dir "
              + logDir
              + ". If it holds data from another Kafka version or cluster, delete it and retry.",
          e);
    }
  }

  private synchronized void startServer() {
    long started = System.nanoTime();
    KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(config(), false), Time.SYSTEM);
    try {
      candidate.startup();
    } catch (RuntimeException e) {
      try {
        candidate.shutdown(); // release whatever did start, or its threads would keep the JVM alive
        candidate.awaitShutdown();
      } catch (RuntimeException cleanupFailure) {
        e.addSuppressed(cleanupFailure);
      }
      throw new IllegalStateException(
          "Kafka broker failed to start on "
              + bootstrapServers()
              + " (controller port "
              + controllerPort
              + ", log dir "
              + logDir
              + "). A port may have been "
              + "taken by another process between picking and binding it; retrying usually helps.",
          e);
    }
    server = candidate;
    awaitReady();
    LOG.info(
        "Kafka broker up on {} in {} ms (log dir {})",
        bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - started).toMillis(),
        logDir);
  }

  /**
   * startup() returns before the broker is unfenced; clients would see transient errors until it
   * is.
   */
  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          if (admin.describeCluster().nodes().get().size() == 1) {
            return;
          }
        } catch (ExecutionException e) {
          last = e;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutdownServer();
    throw new IllegalStateException(
        "Kafka broker on "
            + bootstrapServers()
            + " did not become ready within "
            + READY_TIMEOUT.toSeconds()
            + " s; see its log above",
        last);
  }

  private void shutdownServer() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.info("Kafka broker on {} stopped", bootstrapServers());
  }

  private Properties config() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    // Single node: every internal topic must be satisfiable with one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    // Tests should not wait for rebalances or for slow background work.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    return p;
  }
}
