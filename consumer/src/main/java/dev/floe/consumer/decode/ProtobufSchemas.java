package dev.floe.consumer.decode;

import com.squareup.wire.schema.CoreLoader;
import com.squareup.wire.schema.ErrorCollector;
import com.squareup.wire.schema.Linker;
import com.squareup.wire.schema.Loader;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.MessageType;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and links a registered {@code .proto} with Square Wire: its imports come from the
 * registry's references (fetched recursively), the well-known types ({@code google/protobuf/*})
 * from the copies Wire ships, so producers need not register them.
 */
final class ProtobufSchemas {
  private ProtobufSchemas() {}

  /** The linked schema and the path of the registered (root) file in it. */
  record Linked(Schema schema, String rootPath) {
    ProtoFile root() {
      return schema.protoFile(rootPath);
    }
  }

  static Linked link(RegisteredSchema registered, SchemaRegistryClient registry) {
    Map<String, ProtoFile> files = new HashMap<>();
    String rootPath = "floe-registered-schema-" + registered.id() + ".proto";
    ProtoFile root = parse(rootPath, registered.text());
    files.put(rootPath, root);
    addReferences(registered, registry, files);
    try {
      Linker linker = new Linker(new RegistryLoader(files), new ErrorCollector(), false, true);
      return new Linked(linker.link(List.of(root)), rootPath);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the Protobuf schema does not link: " + e.getMessage(), e);
    }
  }

  /**
   * The message at a Confluent message-index path: the first index counts the file's top-level
   * messages, each further index the nested messages of the previous one (enums are not counted).
   */
  static MessageType message(Linked linked, int[] path) {
    List<com.squareup.wire.schema.Type> candidates = linked.root().getTypes();
    MessageType found = null;
    StringBuilder where = new StringBuilder();
    for (int index : path) {
      List<MessageType> messages = new ArrayList<>();
      for (com.squareup.wire.schema.Type t : candidates) {
        if (t instanceof MessageType m) {
          messages.add(m);
        }
      }
      where.append(where.length() == 0 ? "" : ",").append(index);
      if (index < 0 || index >= messages.size()) {
        throw new IllegalArgumentException(
            "message index path ["
                + where
                + "] names no message: there are "
                + messages.size()
                + " messages at that level of the schema");
      }
      found = messages.get(index);
      candidates = found.getNestedTypes();
    }
    if (found == null) {
      throw new IllegalArgumentException("empty message index path");
    }
    return found;
  }

  /** Position of the top-level message of that simple name among the file's messages, or -1. */
  static int topLevelIndex(Linked linked, String simpleName) {
    int index = 0;
    for (com.squareup.wire.schema.Type t : linked.root().getTypes()) {
      if (t instanceof MessageType m) {
        if (m.getType().getSimpleName().equals(simpleName)) {
          return index;
        }
        index++;
      }
    }
    return -1;
  }

  private static void addReferences(
      RegisteredSchema schema, SchemaRegistryClient registry, Map<String, ProtoFile> files) {
    for (RegisteredSchema.Reference ref : schema.references()) {
      if (files.containsKey(ref.name()) || isBundled(ref.name())) {
        continue;
      }
      RegisteredSchema imported = registry.referenced(ref);
      files.put(ref.name(), parse(ref.name(), imported.text()));
      addReferences(imported, registry, files);
    }
  }

  private static ProtoFile parse(String path, String text) {
    try {
      return ProtoFile.Companion.get(ProtoParser.Companion.parse(Location.get(path), text));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not a valid Protobuf schema (" + path + "): " + e.getMessage(), e);
    }
  }

  /** Well-known types and Wire's own option definitions, shipped inside wire-schema. */
  private static boolean isBundled(String path) {
    return path.startsWith("google/protobuf/") || path.startsWith("wire/");
  }

  private record RegistryLoader(Map<String, ProtoFile> files) implements Loader {
    @Override
    public ProtoFile load(String path) {
      ProtoFile file = files.get(path);
      if (file != null) {
        return file;
      }
      if (isBundled(path)) {
        return CoreLoader.INSTANCE.load(path);
      }
      throw new IllegalArgumentException(
          "the schema imports "
              + path
              + ", which is neither a well-known type nor among the schema's registry references");
    }

    @Override
    public Loader withErrors(ErrorCollector errors) {
      return this;
    }
  }
}
