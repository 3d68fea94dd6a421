package dev.floe.catalogsync;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for one request (header signing, no query parameters), as AWS specifies
 * it. Written out rather than taken from the AWS SDK: Glue's JSON API needs nothing else of the
 * SDK, whose core and Glue client weigh about 10 MB.
 */
final class SigV4 {
  private SigV4() {}

  /**
   * The {@code Authorization} header value.
   *
   * @param headers the headers to sign, including {@code host} and {@code x-amz-date}
   * @param amzDate {@code yyyyMMdd'T'HHmmss'Z'}, the same as the {@code x-amz-date} header
   */
  static String authorization(
      String method,
      String path,
      Map<String, String> headers,
      byte[] payload,
      AwsCredentials credentials,
      String region,
      String service,
      String amzDate) {
    TreeMap<String, String> sorted = new TreeMap<>();
    headers.forEach((k, v) -> sorted.put(k.toLowerCase(java.util.Locale.ROOT), v.trim()));
    StringBuilder canonicalHeaders = new StringBuilder();
    sorted.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", sorted.keySet());
    String canonicalRequest =
        method
            + "\n"
            + path
            + "\n\n" // no query string
            + canonicalHeaders
            + "\n"
            + signedHeaders
            + "\n"
            + hex(sha256(payload));
    String day = amzDate.substring(0, 8);
    String scope = day + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + credentials.secretKey()).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return "AWS4-HMAC-SHA256 Credential="
        + credentials.accessKeyId()
        + "/"
        + scope
        + ", SignedHeaders="
        + signedHeaders
        + ", Signature="
        + hex(hmac(key, toSign));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
