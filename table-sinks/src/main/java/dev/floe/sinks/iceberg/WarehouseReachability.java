package dev.floe.sinks.iceberg;

import dev.floe.core.Errors;
import dev.floe.core.config.FloeConfig;
import dev.floe.core.config.S3Settings;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileIO;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The start-up check that an S3 warehouse's bucket exists and answers to Floe's credentials: a
 * wrong bucket, key or endpoint should stop {@code floe run} with one clear message, not surface as
 * retried commit failures later. Messages never contain credentials.
 */
public final class WarehouseReachability {
  private WarehouseReachability() {}

  /** Does nothing for a local warehouse. */
  public static void check(FloeConfig config) {
    if (config.warehouseOnS3()) {
      check(config.warehouse(), config.s3());
    }
  }

  static void check(String warehouse, S3Settings s3) {
    String bucket = warehouse.substring("s3://".length()).split("/", 2)[0];
    String endpoint = s3.endpoint() != null ? s3.endpoint() : "AWS S3";
    String credentials =
        s3.hasStaticCredentials()
            ? "s3.access-key-id and s3.secret-access-key"
            : "the default AWS credentials chain (AWS_ACCESS_KEY_ID, ~/.aws, instance role)";
    try (FileIO io = WarehouseIO.open(s3)) {
      ((S3FileIO) io).client().headBucket(HeadBucketRequest.builder().bucket(bucket).build());
    } catch (NoSuchBucketException e) {
      throw missingBucket(warehouse, bucket, endpoint);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) { // HEAD responses carry no error code, only the status
        throw missingBucket(warehouse, bucket, endpoint);
      }
      throw Errors.of(
          "'warehouse': "
              + endpoint
              + " refused access to bucket '"
              + bucket
              + "' (HTTP "
              + e.statusCode()
              + (e.statusCode() == 403 ? ", access denied" : "")
              + ")",
          "check the credentials ("
              + credentials
              + "), that they may read and write the bucket, and s3.region",
          null);
    } catch (SdkClientException e) {
      throw Errors.of(
          "'warehouse': cannot reach "
              + endpoint
              + " for bucket '"
              + bucket
              + "' ("
              + firstLine(e.getMessage())
              + ")",
          "check s3.endpoint (host, port, http or https), s3.region and the network",
          null);
    }
  }

  private static RuntimeException missingBucket(String warehouse, String bucket, String endpoint) {
    return Errors.of(
        "'warehouse': bucket '" + bucket + "' of " + warehouse + " does not exist at " + endpoint,
        "create the bucket, or fix the bucket name in warehouse (and s3.endpoint)",
        null);
  }

  private static String firstLine(String message) {
    return message == null ? "no answer" : message.lines().findFirst().orElse("no answer");
  }
}
