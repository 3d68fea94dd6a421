package dev.floe.consumer.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.row.Type;

/**
 * JSON Schema: the payload after the Confluent header is the UTF-8 JSON of the value, parsed with
 * Jackson's streaming parser straight into rows by {@link JsonSchemaMapping}'s compiled readers.
 */
final class JsonSchemaFormat implements PayloadFormat {
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public String schemaType() {
    return "JSON";
  }

  @Override
  public KeyReader compileKey(RegisteredSchema registered, SchemaRegistryClient registry) {
    PayloadDecoder values = compile(registered, registry, null);
    Type.Struct type = ((Decoder) values).type;
    return new KeyReader() {
      @Override
      public Key decode(byte[] bytes, int offset) throws java.io.IOException {
        return new Key(type, dev.floe.core.row.Row.wrap(values.decode(bytes, offset).values()));
      }

      @Override
      public Type type() {
        return type;
      }
    };
  }

  @Override
  public PayloadDecoder compile(
      RegisteredSchema registered, SchemaRegistryClient registry, String metadataColumn) {
    JsonSchemaDocuments documents = new JsonSchemaDocuments(registry);
    JsonSchemaMapping.Mapped m =
        JsonSchemaMapping.root(
            documents, documents.root(registered), metadataColumn == null ? 0 : 1);
    return new Decoder(KafkaMetadata.append((Type.Struct) m.type(), metadataColumn), m.reader());
  }

  private record Decoder(Type.Struct type, JsonSchemaReader reader) implements PayloadDecoder {
    @Override
    public Type.Struct rowType() {
      return type;
    }

    @Override
    public Decoded decode(byte[] value, int offset) throws java.io.IOException {
      try (JsonParser p = JSON.createParser(value, offset, value.length - offset)) {
        if (p.nextToken() == null) {
          throw new JsonSchemaValueException("the payload holds no JSON value");
        }
        Object[] values = (Object[]) reader.read(p);
        if (p.nextToken() != null) {
          throw new JsonSchemaValueException(
              "unexpected content after the value: "
                  + JsonSchemaValueException.describe(p.currentToken()));
        }
        return new PayloadDecoder.Decoded(type, values);
      } catch (JsonSchemaValueException e) {
        throw e;
      } catch (JsonProcessingException e) {
        throw JsonSchemaValueException.malformed(e);
      }
    }
  }
}
