package dev.floe.sinks.iceberg;

import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.S3Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.io.FileIO;

/**
 * The Iceberg {@link FileIO} of Floe's warehouse: {@link LocalFileIO} for a directory, Iceberg's
 * S3FileIO for {@code s3://}. Catalogs get it through {@link #catalogProperties}; Delta data files
 * are written through {@link #open} too, so both formats share one S3 client configuration and its
 * multipart uploads.
 */
public final class WarehouseIO {
  static final String S3_FILE_IO = "org.apache.iceberg.aws.s3.S3FileIO";

  /** The region an S3-compatible store (custom endpoint) is signed for when none is set. */
  static final String DEFAULT_COMPATIBLE_REGION = "us-east-1";

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
    return org.apache.iceberg.CatalogUtil.loadFileIO(
        props.get(CatalogProperties.FILE_IO_IMPL), props, null);
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
    props.put(CatalogProperties.FILE_IO_IMPL, S3_FILE_IO);
    // Iceberg's general AWS client factory also serves Glue, DynamoDB and KMS and needs their SDK
    // modules on the classpath; the S3-only factory needs just the s3 module
    props.put(
        "s3.client-factory-impl", "org.apache.iceberg.aws.s3.DefaultS3FileIOAwsClientFactory");
    if (s3.endpoint() != null) {
      props.put("s3.endpoint", s3.endpoint());
    }
    String region =
        s3.region() != null
            ? s3.region()
            // S3-compatible stores ignore the region but the SDK refuses to sign without one
            : s3.endpoint() != null ? DEFAULT_COMPATIBLE_REGION : null;
    if (region != null) {
      props.put("client.region", region);
    }
    // the JDK's HTTP client (url-connection-client, 20 KB) instead of Apache HttpClient 5
    props.put("http-client.type", "urlconnection");
    props.put("s3.path-style-access", String.valueOf(s3.pathStyleAccess()));
    if (s3.hasStaticCredentials()) {
      props.put("s3.access-key-id", s3.accessKeyId());
      props.put("s3.secret-access-key", s3.secretAccessKey());
    }
    // S3FileIO switches to a multipart upload once a file passes one part
    props.put("s3.multipart.size", String.valueOf(Math.min(s3.multipartSize(), Integer.MAX_VALUE)));
    return props;
  }
}
