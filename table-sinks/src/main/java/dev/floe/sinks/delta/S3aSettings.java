package dev.floe.sinks.delta;

import dev.floe.core.config.S3Settings;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop S3A settings of the Delta log on an S3 warehouse. The log store is Delta's {@code
 * S3SingleDriverLogStore}: S3 has no atomic put-if-absent that Delta 3.3 uses, so the store makes
 * commits exclusive within one JVM only. Two Floe processes committing to one Delta table on S3 at
 * the same moment can overwrite each other's log entry; run one committing replica per Delta table
 * on S3 (docs/configuration.md says so).
 */
final class S3aSettings {
  private S3aSettings() {}

  static void apply(S3Settings s3, Configuration conf) {
    conf.set("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
    conf.set("delta.logStore.s3a.impl", "io.delta.storage.S3SingleDriverLogStore");
    if (s3.endpoint() != null) {
      conf.set("fs.s3a.endpoint", s3.endpoint());
      conf.setBoolean("fs.s3a.connection.ssl.enabled", s3.endpoint().startsWith("https://"));
    }
    String region = s3.region() != null ? s3.region() : s3.endpoint() != null ? "us-east-1" : null;
    if (region != null) {
      conf.set("fs.s3a.endpoint.region", region);
    }
    conf.setBoolean("fs.s3a.path.style.access", s3.pathStyleAccess());
    if (s3.hasStaticCredentials()) {
      conf.set(
          "fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
      conf.set("fs.s3a.access.key", s3.accessKeyId());
      conf.set("fs.s3a.secret.key", s3.secretAccessKey());
    } else {
      conf.set(
          "fs.s3a.aws.credentials.provider",
          "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
    }
    conf.setLong("fs.s3a.multipart.size", s3.multipartSize());
  }
}
