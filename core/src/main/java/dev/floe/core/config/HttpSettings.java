package dev.floe.core.config;

/**
 * The HTTP endpoint for {@code /metrics}, {@code /health/live}, {@code /health/ready} and {@code
 * /status}.
 *
 * @param host the address to bind, e.g. {@code 0.0.0.0} (all interfaces)
 * @param port the port; 0 binds a free port (logged at start), -1 disables the endpoint
 * @param configured whether the port was written in the config: a configured port that cannot be
 *     bound stops Floe, the default one only warns (several Floes on one host, e.g. in tests, must
 *     not fail for it)
 */
public record HttpSettings(String host, int port, boolean configured) {
  /** The Prometheus exporter port range's port used when none is configured. */
  public static final int DEFAULT_PORT = 9464;

  public static final HttpSettings DEFAULT = new HttpSettings("0.0.0.0", DEFAULT_PORT, false);

  public boolean enabled() {
    return port >= 0;
  }
}
