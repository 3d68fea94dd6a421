import dev.floe.app.demo.DemoProducer;
import dev.floe.embedded.EmbeddedSchemaRegistry;
import dev.floe.embedded.KafkaBroker;
import java.net.InetSocketAddress;
import java.nio.file.*;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * The compose stack without Docker (deploy/check/run.sh): an in-process KRaft broker and registry
 * (floe-embedded), an Iceberg REST catalog (Iceberg's RESTCatalogServlet in front of a JdbcCatalog with
 * HadoopFileIO, as in the apache/iceberg-rest-fixture image) whose tables live under a file:///
 * warehouse, and the demo producer. Floe itself runs as its own process with deploy/floe.yaml. Once
 * the producer stops and Floe has committed, the table is read back through the REST catalog with
 * Iceberg's generic reader and its rows are compared with the orders in the topic.
 */
public class StackCheck {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    String warehouse = "file://" + dir.resolve("warehouse");
    JdbcCatalog backend = new JdbcCatalog();
    backend.initialize("backend", Map.of(
        CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("warehouse/rest-catalog.db"),
        CatalogProperties.WAREHOUSE_LOCATION, warehouse,
        CatalogProperties.FILE_IO_IMPL, System.getProperty("server.io", "org.apache.iceberg.hadoop.HadoopFileIO")));
    Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(backend))), "/*");
    jetty.setHandler(ctx);
    jetty.start();
    String restUri = jetty.getURI().toString().replaceAll("/$", "");
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start()) {
      broker.createTopic("orders", 3);
      broker.createTopic("clickstream", 1);
      Files.writeString(dir.resolve("env.sh"),
          "export KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers() + "\n"
          + "export SCHEMA_REGISTRY_URL=" + registry.url() + "\n"
          + "export ICEBERG_REST_URI=" + restUri + "\n");
      DemoProducer producer = new DemoProducer(broker.bootstrapServers(), registry, 100);
      Thread t = new Thread(producer); t.start();
      System.out.println("READY " + restUri);
      while (!Files.exists(dir.resolve("stop-producer"))) Thread.sleep(200);
      producer.stop(); t.join(); producer.close();
      long produced = producer.produced();
      System.out.println("PRODUCED " + produced + " events (1 in 5 is an order)");
      var parts = new java.util.HashMap<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>();
      for (int p = 0; p < 3; p++) parts.put(new org.apache.kafka.common.TopicPartition("orders", p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      long orders = 0;
      for (var e : broker.admin().listOffsets(parts).all().get().values()) orders += e.offset();
      System.out.println("ORDERS_IN_TOPIC " + orders);
      Files.writeString(dir.resolve("produced"), "");
      while (!Files.exists(dir.resolve("read"))) Thread.sleep(200);
      RESTCatalog client = new RESTCatalog();
      client.initialize("reader", Map.of(CatalogProperties.URI, restUri,
          CatalogProperties.FILE_IO_IMPL, "dev.floe.sinks.iceberg.LocalFileIO"));
      Table table = client.loadTable(TableIdentifier.of("sales", "orders"));
      System.out.println("LOCATION " + table.location());
      System.out.println("SNAPSHOTS " + org.apache.iceberg.relocated.com.google.common.collect.Iterables.size(table.snapshots()));
      long rows = 0;
      try (CloseableIterable<Record> r = IcebergGenerics.read(table).build()) { for (Record x : r) rows++; }
      System.out.println("ROWS " + rows);
      System.out.println(rows == orders ? "OK: every order exactly once" : "MISMATCH");
    } finally { jetty.stop(); }
  }
}
