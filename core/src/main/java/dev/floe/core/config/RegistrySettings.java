package dev.floe.core.config;

import java.time.Duration;

/**
 * How to reach the Confluent-API Schema Registry.
 *
 * @param username basic-auth user, or null
 * @param password basic-auth password, or null
 * @param bearerToken sent as {@code Authorization: Bearer}, or null
 * @param retryFor how long to keep retrying an unreachable registry before the pipeline stops
 */
public record RegistrySettings(
    String url,
    String username,
    String password,
    String bearerToken,
    Duration timeout,
    Duration retryFor) {

  @Override
  public String toString() { // never print secrets
    return "RegistrySettings[url="
        + url
        + ", auth="
        + (username != null ? "basic" : bearerToken != null ? "bearer" : "none")
        + "]";
  }
}
