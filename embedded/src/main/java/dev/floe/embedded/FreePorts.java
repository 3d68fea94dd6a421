package dev.floe.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks loopback ports that are free right now, so parallel test JVMs do not collide on fixed
 * ports.
 */
public final class FreePorts {

  private FreePorts() {}

  /**
   * Returns a port that was free on 127.0.0.1 a moment ago. There is an unavoidable race between
   * closing the probe socket and the real server binding it; with ephemeral ports that race is
   * practically never lost.
   */
  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
    }
  }
}
