package dev.floe.sinks.iceberg;

import static dev.floe.sinks.iceberg.Fixtures.ALL_TYPES;
import static dev.floe.sinks.iceberg.Fixtures.GROUP;
import static dev.floe.sinks.iceberg.Fixtures.offsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.CommitFencedException;
import dev.floe.core.FloeException;
import dev.floe.core.PartitionOffsets;
import dev.floe.core.TableId;
import dev.floe.core.config.CatalogSettings;
import dev.floe.core.row.Row;
import dev.floe.core.sink.TableSpec;
import dev.floe.core.sink.WriteBatch;
import dev.floe.testsupport.rest.RestCatalogServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a real Iceberg REST catalog server ({@link RestCatalogServer}: bearer token
 * only, metadata written with {@link LocalFileIO}, every request recorded).
 */
class RestCatalogIT {
  static final String TOKEN = "floe-test-token";

  @TempDir static Path dir;
  static RestCatalogServer server;
  final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() throws Exception {
    server = RestCatalogServer.builder(TOKEN, LocalFileIO.class.getName()).start(dir);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  @Test
  void workersOfDifferentPartitionsCommitToAPartitionedTableAndTheirOffsetsMerge() {
    TableSpec spec = spec("raw.merged", "ctx.os", "bucket[4](req_id)");
    IcebergTableSink worker1 = newSink(TOKEN);
    IcebergTableSink worker2 = newSink(TOKEN);

    commitRows(worker1, spec, 0, 0, 30);
    commitRows(worker2, spec, 1, 0, 20);
    commitRows(worker1, spec, 0, 30, 40);

    assertThat(newSink(TOKEN).committedOffsets(spec, GROUP))
        .isEqualTo(offsets("events", 0, 40, "events", 1, 20));
    Table table = readerTable(spec);
    assertThat(table.spec().fields())
        .extracting(PartitionField::name)
        .containsExactly("ctx.os", "req_id_bucket");
    List<DataFile> files = RoundTripTest.dataFiles(table);
    assertThat(files.stream().map(f -> f.partition().get(0, String.class)).distinct())
        .containsExactlyInAnyOrder("linux", "mac", null);
    // the server places tables; Floe's own warehouse is for catalogs that set none
    assertThat(files)
        .allSatisfy(f -> assertThat(LocalFileIO.path(f.location())).startsWith(server.warehouse()));
    assertThat(table.currentSnapshot().summary())
        .containsEntry("floe.offsets." + GROUP, "{\"events\":{\"0\":40,\"1\":20}}");
  }

  @Test
  void concurrentWorkersLoseNoCommitWhenTheServerRejectsAStaleBase() throws Exception {
    TableSpec spec = spec("raw.raced");
    int workers = 3;
    int batches = 2;
    CyclicBarrier together = new CyclicBarrier(workers); // commits of a round start at once
    server.clearRequests();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < workers; p++) {
        int partition = p;
        IcebergTableSink worker = newSink(TOKEN);
        done.add(
            pool.submit(
                () -> {
                  for (long from = 0; from < batches * 10; from += 10) {
                    WriteBatch batch = writeRows(worker, spec, partition, from, from + 10);
                    together.await(30, TimeUnit.SECONDS);
                    commit(batch, partition, from, from + 10);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(server.requests())
        .as("the server rejected a commit on a stale base (409), which the sink retried")
        .anySatisfy(
            r -> {
              assertThat(r.path()).isEqualTo("/v1/namespaces/raw/tables/raced");
              assertThat(r.status()).isEqualTo(409);
            });
    assertThat(newSink(TOKEN).committedOffsets(spec, GROUP))
        .isEqualTo(offsets("events", 0, 20, "events", 1, 20, "events", 2, 20));
    assertThat(Fixtures.read(readerTable(spec))).hasSize(workers * batches * 10);
  }

  @Test
  void rowsOfEveryTypeReadBackUnchangedThroughAnotherRestClient() {
    TableSpec spec = spec("raw.round_trip", "ctx.os");
    commitRows(newSink(TOKEN), spec, 0, 0, 50);
    commitRows(newSink(TOKEN), spec, 1, 0, 50);

    List<Record> records = Fixtures.read(readerTable(spec));

    records.sort(Comparator.comparing(r -> (Long) r.getField("req_id")));
    List<Long> ids = new ArrayList<>();
    for (int partition = 0; partition < 2; partition++) {
      for (long offset = 0; offset < 50; offset++) {
        ids.add(id(partition, offset));
      }
    }
    assertThat(records).extracting(r -> (Long) r.getField("req_id")).containsExactlyElementsOf(ids);
    for (int i = 0; i < ids.size(); i++) {
      Fixtures.assertSameRow(ALL_TYPES, row(ids.get(i)), records.get(i));
    }
  }

  @Test
  void aBatchThatStartedFromStaleOffsetsIsFencedAndItsFilesAreDeleted() {
    TableSpec spec = spec("raw.fenced", "ctx.os");
    IcebergTableSink sink = newSink(TOKEN);
    commitRows(sink, spec, 0, 0, 10);
    commitRows(sink, spec, 0, 10, 20); // the new owner of partition 0 moved on
    int filesBefore = RoundTripTest.parquetFiles(server.warehouse()).size();

    WriteBatch zombie = sink.newBatch(spec);
    zombie.write(ALL_TYPES, row(id(0, 10)));
    assertThatThrownBy(
            () -> zombie.commit(GROUP, offsets("events", 0, 10), offsets("events", 0, 11)))
        .isInstanceOf(CommitFencedException.class)
        .hasMessageContaining("raw.fenced")
        .hasMessageContaining("events-0");

    assertThat(RoundTripTest.parquetFiles(server.warehouse())).hasSize(filesBefore);
    assertThat(sink.committedOffsets(spec, GROUP)).isEqualTo(offsets("events", 0, 20));
    assertThat(Fixtures.read(readerTable(spec))).hasSize(20);
  }

  @Test
  void theCatalogTokenReachesTheServerOnEveryRequest() {
    TableSpec spec = spec("raw.token");
    server.clearRequests();

    commitRows(newSink(TOKEN), spec, 0, 0, 5);

    assertThat(server.requests())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN))
        .anySatisfy(
            r -> { // the commit itself
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.path()).isEqualTo("/v1/namespaces/raw/tables/token");
            });
  }

  @Test
  void aCatalogWithoutTheTokenIsRejectedWithAnErrorThatNamesTheCatalog() {
    IcebergTableSink sink = newSink(null);

    assertThatThrownBy(() -> sink.committedOffsets(spec("raw.denied"), GROUP))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("'lake'")
        .hasMessageContaining(server.uri())
        .hasMessageContaining("credentials under catalogs.lake")
        .hasRootCauseInstanceOf(NotAuthorizedException.class);
  }

  /**
   * Writes the rows of offsets [from, to) of one source partition and commits them as that
   * partition's worker would.
   */
  static void commitRows(IcebergTableSink sink, TableSpec spec, int partition, long from, long to) {
    commit(writeRows(sink, spec, partition, from, to), partition, from, to);
  }

  static WriteBatch writeRows(
      IcebergTableSink sink, TableSpec spec, int partition, long from, long to) {
    WriteBatch batch = sink.newBatch(spec);
    for (long offset = from; offset < to; offset++) {
      batch.write(ALL_TYPES, row(id(partition, offset)));
    }
    return batch;
  }

  static void commit(WriteBatch batch, int partition, long from, long to) {
    PartitionOffsets expected =
        from == 0 ? PartitionOffsets.empty() : offsets("events", partition, from);
    batch.commit(GROUP, expected, offsets("events", partition, to));
  }

  static long id(int partition, long offset) {
    return partition * 1_000L + offset;
  }

  static Row row(long id) {
    return id % 10 == 9 ? Fixtures.nullsRow(id) : Fixtures.allTypesRow(id);
  }

  static TableSpec spec(String table, String... partitionBy) {
    return new TableSpec(
        TableId.parse(table),
        "lake",
        Arrays.stream(partitionBy).map(dev.floe.core.config.PartitionField::parse).toList(),
        512L << 20,
        Map.of());
  }

  IcebergTableSink newSink(String token) {
    Map<String, String> properties = new HashMap<>();
    if (token != null) {
      properties.put("token", token);
    }
    CatalogSettings lake =
        new CatalogSettings("lake", CatalogSettings.Type.REST, server.uri(), null, properties);
    IcebergTableSink sink =
        new IcebergTableSink(Map.of("lake", lake), dir.resolve("floe-warehouse").toString());
    opened.add(sink);
    return sink;
  }

  Table readerTable(TableSpec spec) {
    RESTCatalog reader = server.newClient();
    opened.add(reader);
    return reader.loadTable(Tables.identifier(spec));
  }
}
