package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The schema documents a JSON schema consists of: the registered one and those it references by
 * registry reference. Resolves {@code $ref}s: {@code #/definitions/X}, {@code #/$defs/X} (any JSON
 * pointer into the same document), and {@code name#/pointer} where {@code name} is the name of one
 * of the document's registry references.
 */
final class JsonSchemaDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One schema document; {@code references} by the name its {@code $ref}s use. */
  record Doc(String name, JsonNode root, Map<String, RegisteredSchema.Reference> references) {}

  /** A resolved {@code $ref}: the schema, the document it lives in, and a key for cycles. */
  record Target(JsonNode schema, Doc doc, String key, String definition) {}

  private final SchemaRegistryClient registry;
  private final Map<String, Doc> loaded = new HashMap<>();

  JsonSchemaDocuments(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  Doc root(RegisteredSchema schema) {
    return parse("", schema);
  }

  Target resolve(String ref, Doc from) {
    int hash = ref.indexOf('#');
    String name = hash < 0 ? ref : ref.substring(0, hash);
    String pointer = hash < 0 ? "" : ref.substring(hash + 1);
    Doc doc = name.isEmpty() ? from : referenced(name, ref, from);
    JsonNode target;
    try {
      target = pointer.isEmpty() ? doc.root() : doc.root().at(JsonPointer.compile(pointer));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("$ref '" + ref + "' is not a JSON pointer", e);
    }
    if (target.isMissingNode()) {
      throw new IllegalArgumentException("$ref '" + ref + "' points to nothing in its document");
    }
    String definition =
        pointer.isEmpty()
            ? (name.isEmpty() ? "#" : name)
            : pointer.substring(pointer.lastIndexOf('/') + 1);
    return new Target(target, doc, doc.name() + "#" + pointer, definition);
  }

  private Doc referenced(String name, String ref, Doc from) {
    RegisteredSchema.Reference reference = from.references().get(name);
    if (reference == null) {
      throw new IllegalArgumentException(
          "$ref '"
              + ref
              + "' is neither local (#/...) nor the name of one of the schema's registry references "
              + from.references().keySet());
    }
    String key = reference.subject() + "/" + reference.version();
    Doc doc = loaded.get(key);
    if (doc == null) {
      doc = parse(key, registry.referenced(reference));
      loaded.put(key, doc);
    }
    return doc;
  }

  private static Doc parse(String name, RegisteredSchema schema) {
    JsonNode root;
    try {
      root = JSON.readTree(schema.text());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a valid JSON schema document"
              + (name.isEmpty() ? "" : " (" + name + ")")
              + ": "
              + e.getMessage(),
          e);
    }
    Map<String, RegisteredSchema.Reference> references = new HashMap<>();
    for (RegisteredSchema.Reference r : schema.references()) {
      references.put(r.name(), r);
    }
    return new Doc(name, root, references);
  }
}
