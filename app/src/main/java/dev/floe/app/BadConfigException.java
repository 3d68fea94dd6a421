package dev.floe.app;

import dev.floe.core.FloeException;
import java.nio.file.Path;

/**
 * A command's config file cannot be used (missing, invalid, or refused by a check). {@link
 * FloeCommand} prints it under the file's name and ends the command with {@link
 * ExitCodes#BAD_CONFIG}, so that every command reports a bad config alike and starts nothing.
 */
final class BadConfigException extends RuntimeException {
  BadConfigException(Path file, FloeException cause) {
    // the cause's message already says problem, cause and fix; this names the file it is about
    super(file + ": " + cause.getMessage(), cause);
  }
}
