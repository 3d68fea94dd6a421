package dev.floe.sinks.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.core.config.S3Settings;
import java.util.Map;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.Test;

class WarehouseIOTest {
  @Test
  void aLocalWarehouseUsesLocalFileIO() {
    assertThat(WarehouseIO.catalogProperties(null))
        .containsExactly(Map.entry("io-impl", LocalFileIO.class.getName()));
  }

  @Test
  void anS3CompatibleStoreGetsEndpointPathStyleRegionCredentialsAndPartSize() {
    S3Settings s3 = new S3Settings("http://minio:9000", null, true, "id", "secret", 16L << 20);

    Map<String, String> props = WarehouseIO.catalogProperties(s3);

    assertThat(props)
        .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
        .containsEntry("s3.endpoint", "http://minio:9000")
        .containsEntry("s3.path-style-access", "true")
        .containsEntry("client.region", "us-east-1") // a custom endpoint needs some region
        .containsEntry("s3.access-key-id", "id")
        .containsEntry("s3.secret-access-key", "secret")
        .containsEntry("s3.multipart.part-size-bytes", String.valueOf(16 << 20));
    try (FileIO io = WarehouseIO.open(s3)) { // loads with only the SDK modules Floe ships
      assertThat(io.getClass().getName()).isEqualTo("org.apache.iceberg.aws.s3.S3FileIO");
    }
  }

  @Test
  void awsWithoutCredentialsOrRegionLeavesBothToTheDefaultChains() {
    Map<String, String> props = WarehouseIO.catalogProperties(S3Settings.DEFAULTS);

    assertThat(props)
        .doesNotContainKeys("s3.endpoint", "client.region", "s3.access-key-id")
        .containsEntry("s3.path-style-access", "false");
  }

  @Test
  void localFileIORefusesObjectStoreLocationsNamingTheFix() {
    assertThatThrownBy(() -> LocalFileIO.path("s3://lake/t/data/f.parquet"))
        .hasMessageContaining("warehouse: s3://bucket/prefix");
  }
}
