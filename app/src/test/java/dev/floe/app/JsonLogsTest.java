package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The shipped logback.xml with {@code FLOE_LOG_FORMAT=JSON}: one JSON object per line. */
class JsonLogsTest {

  @Test
  void jsonFormatWritesOneObjectPerLineWithTheRecordFields() throws Exception {
    String line = logOnce("JSON");

    JsonNode json = HttpEndpoint.JSON.readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("loggerName").asText()).isEqualTo("dev.floe.consumer.ConsumerWorker");
    assertThat(json.get("formattedMessage").asText()).isEqualTo("Committed 7 rows");
    assertThat(json.get("mdc").get("table").asText()).isEqualTo("sales.orders");
    assertThat(json.get("mdc").get("partition").asText()).isEqualTo("3");
    assertThat(json.get("mdc").get("offset").asText()).isEqualTo("42");
  }

  @Test
  void textFormatIsTheDefault() throws Exception {
    String line = logOnce(null);

    assertThat(line).contains("INFO ", "ConsumerWorker - Committed 7 rows").doesNotStartWith("{");
  }

  /** Configures a fresh logger context from the shipped file and returns what one line wrote. */
  private static String logOnce(String format) throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter()); // the adapter MDC.put writes to
    if (format != null) {
      context.putProperty("FLOE_LOG_FORMAT", format);
    }
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(JsonLogsTest.class.getResource("/logback.xml"));
      MDC.put("table", "sales.orders");
      MDC.put("topic", "orders");
      MDC.put("partition", "3");
      MDC.put("offset", "42");
      context.getLogger("dev.floe.consumer.ConsumerWorker").info("Committed {} rows", 7);
    } finally {
      MDC.clear();
      context.stop();
      System.setErr(realErr);
    }
    return err.toString(StandardCharsets.UTF_8).strip();
  }
}
