package dev.floe.core.config;

/**
 * How Floe reaches the object store of an {@code s3://} warehouse, from the {@code s3:} block.
 *
 * @param endpoint the S3 API endpoint, e.g. {@code http://minio:9000}; null for AWS itself
 * @param region the signing region; null for the default AWS region chain
 * @param pathStyleAccess {@code http://host/bucket/key} instead of {@code http://bucket.host/key},
 *     which most S3-compatible stores need
 * @param accessKeyId null (with {@code secretAccessKey}) for the default AWS credentials chain
 * @param multipartSize files larger than this are uploaded in parts of this size
 */
public record S3Settings(
    String endpoint,
    String region,
    boolean pathStyleAccess,
    String accessKeyId,
    String secretAccessKey,
    long multipartSize) {

  /** 32 MB parts: S3's 10,000-part limit still allows 320 GB files, far above any data file. */
  public static final long DEFAULT_MULTIPART_SIZE = 32L * 1024 * 1024;

  /** Settings for AWS S3 with the default region and credentials chains. */
  public static final S3Settings DEFAULTS =
      new S3Settings(null, null, false, null, null, DEFAULT_MULTIPART_SIZE);

  public boolean hasStaticCredentials() {
    return accessKeyId != null;
  }

  @Override
  public String toString() { // never print credentials, not even the key id
    return "S3Settings[endpoint="
        + endpoint
        + ", region="
        + region
        + ", pathStyleAccess="
        + pathStyleAccess
        + ", credentials="
        + (hasStaticCredentials() ? "static" : "default chain")
        + "]";
  }
}
