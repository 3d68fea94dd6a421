package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Reads one JSON value of a mapped schema into the row model. The parser stands on the value's
 * first token; the reader leaves it on the value's last token (as {@link JsonParser#skipChildren}
 * does), so that the caller's next {@code nextToken} moves past the value.
 */
@FunctionalInterface
interface JsonSchemaReader {
  Object read(JsonParser p) throws IOException;
}
