package dev.floe.sinks.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.TableId;
import dev.floe.core.config.S3Settings;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class S3aSettingsTest {
  @Test
  void theDeltaLogGoesThroughS3aWithTheSingleDriverLogStore() {
    Configuration conf =
        TableLog.configuration(
            new S3Settings("https://s3.example.com", "eu-west-1", true, "id", "secret", 8 << 20));

    assertThat(conf.get("delta.logStore.s3a.impl"))
        .isEqualTo("io.delta.storage.S3SingleDriverLogStore");
    assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("https://s3.example.com");
    assertThat(conf.getBoolean("fs.s3a.connection.ssl.enabled", false)).isTrue();
    assertThat(conf.get("fs.s3a.endpoint.region")).isEqualTo("eu-west-1");
    assertThat(conf.getBoolean("fs.s3a.path.style.access", false)).isTrue();
    assertThat(conf.get("fs.s3a.access.key")).isEqualTo("id");
    assertThat(conf.getLong("fs.s3a.multipart.size", 0)).isEqualTo(8 << 20);
  }

  @Test
  void withoutStaticCredentialsS3aUsesTheDefaultAwsChain() {
    Configuration conf = TableLog.configuration(S3Settings.DEFAULTS);

    assertThat(conf.get("fs.s3a.aws.credentials.provider"))
        .isEqualTo("software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
    assertThat(conf.get("fs.s3a.access.key")).isNull();
  }

  @Test
  void deltaTablesOfAnS3WarehouseLiveUnderS3aAndLocalOnesWhereTheyAlwaysDid() {
    TableId id = TableId.parse("sales.orders");

    assertThat(DeltaTableSink.uri("s3://lake/floe", id))
        .isEqualTo("s3a://lake/floe/delta-tables/sales/orders");
    assertThat(DeltaTableSink.uri("/var/lib/floe", id))
        .isEqualTo("/var/lib/floe/delta-tables/sales/orders");
  }
}
