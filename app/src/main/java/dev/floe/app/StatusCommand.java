package dev.floe.app;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.floe.core.FloeException;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.sink.TableSink;
import dev.floe.sinks.delta.DeltaTableSink;
import dev.floe.sinks.iceberg.IcebergTableSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    description =
        "Shows each table's formats, last commit, rows, files, committed vs end offsets (lag),"
            + " freshness and last error: from the running instance's /status when one answers,"
            + " else from the tables and the brokers.")
final class StatusCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "a running instance's status, e.g. http://floe-1:9464/status; default: localhost on the"
              + " config's http.port")
  String url;

  @Option(names = "--json", description = "print JSON for scripts instead of a table")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    FloeConfig parsed = config.load();
    StatusReport report = fromRunningInstance(parsed);
    if (report == null) {
      try {
        report = fromTables(parsed);
      } catch (FloeException e) {
        spec.commandLine().getErr().println("floe: " + e.getMessage());
        return ExitCodes.FAILED;
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          HttpEndpoint.JSON
              .copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(report));
    } else {
      out.print(StatusTable.render(report));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The running instance's report, or null when none answers. */
  private StatusReport fromRunningInstance(FloeConfig parsed) {
    String target = url;
    if (target == null) {
      if (parsed.http().port() <= 0) {
        return null; // off, or on a port only its log names
      }
      target = "http://localhost:" + parsed.http().port() + "/status";
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      return HttpEndpoint.JSON.readValue(response.body(), StatusReport.class);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static StatusReport fromTables(FloeConfig parsed) throws Exception {
    dev.floe.consumer.KafkaReachability.check(parsed.kafka()); // one clear error if none answers
    try (IcebergTableSink iceberg = new IcebergTableSink(parsed);
        DeltaTableSink delta = new DeltaTableSink(parsed);
        Admin admin = Admin.create(AdminProperties.of(parsed))) {
      Map<String, TableSink> sinks = Map.of(iceberg.format(), iceberg, delta.format(), delta);
      return new StatusCollector(parsed, sinks, admin, null).report();
    }
  }
}
