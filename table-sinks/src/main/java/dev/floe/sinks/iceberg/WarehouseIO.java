package dev.floe.sinks.iceberg;

import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.S3Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.HttpClientProperties;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.io.FileIO;

/**
 * The Iceberg {@link FileIO} of Floe's warehouse: {@link LocalFileIO} for a directory, Iceberg's
 * S3FileIO for {@code s3://}. Catalogs get it through {@link #catalogProperties}; Delta data files
 * are written through {@link #open} too, so both formats share one S3 client configuration and its
 * multipart uploads.
 */
public final class WarehouseIO {
  /** The region an S3-compatible store (custom endpoint) is signed for when none is set. */
  static final String DEFAULT_COMPATIBLE_REGION = "us-east-1";

  /**
   * Iceberg's S3-only client factory (package-private there, hence by name). Its general factory
   * also serves Glue, DynamoDB and KMS and fails without their SDK modules on the class path.
   */
  private static final String S3_ONLY_CLIENT_FACTORY =
      "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory";

  private WarehouseIO() {}

  /** A new FileIO for the config's warehouse; the caller closes it. */
  public static FileIO open(FloeConfig config) {
    return open(config.s3());
  }

  /**
   * @param s3 null for a local warehouse
   */
  public static FileIO open(S3Settings s3) {
    Map<String, String> props = catalogProperties(s3);
    return CatalogUtil.loadFileIO(props.get(CatalogProperties.FILE_IO_IMPL), props, null);
  }

  /**
   * The FileIO implementation and its settings, as catalog properties.
   *
   * @param s3 null for a local warehouse
   */
  public static Map<String, String> catalogProperties(S3Settings s3) {
    Map<String, String> props = new HashMap<>();
    if (s3 == null) {
      props.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
      return props;
    }
    props.put(CatalogProperties.FILE_IO_IMPL, S3FileIO.class.getName());
    props.put(S3FileIOProperties.CLIENT_FACTORY, S3_ONLY_CLIENT_FACTORY);
    // the JDK's HTTP client (url-connection-client, 33 KB): Iceberg's "apache" type needs the
    // SDK's apache5-client, which the Maven mirror of this build does not have
    props.put(HttpClientProperties.CLIENT_TYPE, HttpClientProperties.CLIENT_TYPE_URLCONNECTION);
    if (s3.endpoint() != null) {
      props.put(S3FileIOProperties.ENDPOINT, s3.endpoint());
    }
    String region =
        s3.region() != null
            ? s3.region()
            // S3-compatible stores ignore the region but the SDK refuses to sign without one
            : s3.endpoint() != null ? DEFAULT_COMPATIBLE_REGION : null;
    if (region != null) {
      props.put(AwsClientProperties.CLIENT_REGION, region);
    }
    props.put(S3FileIOProperties.PATH_STYLE_ACCESS, String.valueOf(s3.pathStyleAccess()));
    if (s3.hasStaticCredentials()) {
      props.put(S3FileIOProperties.ACCESS_KEY_ID, s3.accessKeyId());
      props.put(S3FileIOProperties.SECRET_ACCESS_KEY, s3.secretAccessKey());
    }
    // a file goes up in parts of this size once it passes 1.5 parts (S3FileIO's threshold)
    props.put(
        S3FileIOProperties.MULTIPART_SIZE,
        String.valueOf(Math.min(s3.multipartSize(), Integer.MAX_VALUE)));
    return props;
  }
}
