package dev.floe.catalogsync;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf.ConfVars;

/**
 * A real Hive Metastore 4.0.1 (standalone) on embedded Derby, in a child JVM on a free local port.
 * Its class path comes from {@code hive-metastore-pom.xml} through Maven (artifacts from the local
 * repository, else Maven Central), because it needs Jetty 9 beside the test JVM's Jetty 12.
 */
final class HiveMetastore implements AutoCloseable {
  private final Process process;
  private final int port;

  private final Path log;

  private HiveMetastore(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static HiveMetastore start(Path dir) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("metastore-site.xml"),
        """
        <configuration>
          <property><name>javax.jdo.option.ConnectionURL</name><value>jdbc:derby:;databaseName=%s;create=true</value></property>
          <property><name>metastore.schema.verification</name><value>false</value></property>
          <property><name>datanucleus.schema.autoCreateAll</name><value>true</value></property>
          <property><name>metastore.warehouse.dir</name><value>%s</value></property>
          <property><name>metastore.metastore.event.db.notification.api.auth</name><value>false</value></property>
        </configuration>
        """
            .formatted(dir.resolve("metastore_db"), dir.resolve("hive-warehouse")));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String classpath = conf + java.io.File.pathSeparator + classpath(dir);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-cp",
                classpath,
                "org.apache.hadoop.hive.metastore.HiveMetaStore",
                "-p",
                String.valueOf(port))
            .directory(dir.toFile()) // derby.log and anything else relative land there
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("metastore.log").toFile())
            .start();
    HiveMetastore hms = new HiveMetastore(p, port, dir.resolve("metastore.log"));
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> !p.isAlive() || hms.accepts());
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "Hive Metastore exited:\n" + Files.readString(dir.resolve("metastore.log")));
      }
    } catch (RuntimeException e) {
      hms.close();
      throw e;
    }
    return hms;
  }

  /** The server's class path, resolved once per test run by Maven from the fixture's pom. */
  private static String classpath(Path dir) throws IOException, InterruptedException {
    Path pom = dir.resolve("pom.xml");
    try (InputStream in = HiveMetastore.class.getResourceAsStream("/hive-metastore-pom.xml")) {
      Files.copy(in, pom);
    }
    Path out = dir.resolve("classpath.txt");
    Process mvn =
        new ProcessBuilder(
                List.of(
                    "mvn",
                    "-q",
                    "-B",
                    "-f",
                    pom.toString(),
                    "dependency:build-classpath",
                    "-Dmdep.outputFile=" + out))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mvn.log").toFile())
            .start();
    if (!mvn.waitFor(5, TimeUnit.MINUTES) || mvn.exitValue() != 0) {
      throw new IllegalStateException(
          "Cannot resolve the Hive Metastore's class path:\n"
              + Files.readString(dir.resolve("mvn.log")));
    }
    return Files.readString(out).trim();
  }

  /** Accepts connections and answers Thrift: the schema is created by then. */
  private boolean accepts() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      HiveMetaStoreClient c = newClient();
      c.getAllDatabases();
      c.close();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  String uri() {
    return "thrift://127.0.0.1:" + port;
  }

  /** Hive's own client, as engines reading the metastore use it. */
  HiveMetaStoreClient newClient() throws Exception {
    Configuration conf = MetastoreConf.newMetastoreConf();
    MetastoreConf.setVar(conf, ConfVars.THRIFT_URIS, uri());
    MetastoreConf.setLongVar(conf, ConfVars.THRIFT_CONNECTION_RETRIES, 1);
    return new HiveMetaStoreClient(conf);
  }

  @Override
  public void close() {
    try { // the temp dir goes with the test; the build directory keeps the log for diagnosis
      Files.copy(
          log,
          Path.of("target", "hive-metastore.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // no log to keep
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
