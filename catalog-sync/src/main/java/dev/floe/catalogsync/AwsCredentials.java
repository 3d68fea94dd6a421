package dev.floe.catalogsync;

import dev.floe.core.Errors;
import java.util.Map;
import java.util.function.Function;

/**
 * Static AWS credentials: from the catalog's properties, else from the standard environment
 * variables. (Instance roles and SSO profiles need the AWS SDK; use Glue's Iceberg REST endpoint
 * with {@code rest.sigv4-enabled} and iceberg-aws for those.)
 */
record AwsCredentials(String accessKeyId, String secretKey, String sessionToken) {
  static AwsCredentials resolve(
      String catalog, Map<String, String> properties, Function<String, String> env) {
    String id = properties.getOrDefault("glue.access-key-id", env.apply("AWS_ACCESS_KEY_ID"));
    String secret =
        properties.getOrDefault("glue.secret-access-key", env.apply("AWS_SECRET_ACCESS_KEY"));
    String token = properties.getOrDefault("glue.session-token", env.apply("AWS_SESSION_TOKEN"));
    if (id == null || secret == null) {
      throw Errors.of(
          "Catalog '" + catalog + "' (glue) has no AWS credentials",
          "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or properties glue.access-key-id and"
              + " glue.secret-access-key from ${env:...}",
          null);
    }
    return new AwsCredentials(id, secret, token);
  }

  @Override
  public String toString() { // never the secret
    return "AwsCredentials[" + accessKeyId + "]";
  }
}
