package dev.floe.consumer.decode;

import com.google.protobuf.CodedInputStream;
import dev.floe.consumer.registry.RegisteredSchema;
import dev.floe.consumer.registry.SchemaRegistryClient;
import dev.floe.core.row.Type;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Protobuf in the Confluent wire format: after the schema id come the message indexes (a zigzag
 * varint count, then that many zigzag varints; a single 0 means {@code [0]}) that name the message
 * type within the registered {@code .proto}, then the message. Each message type is compiled once,
 * on first use, by {@link ProtobufMapping}.
 *
 * <p>Apicurio's own Protobuf serializer (2.x, ids in the payload) writes no message indexes but a
 * length-delimited {@code Ref} message holding the top-level message's simple name. Such a prefix
 * is recognized when it has exactly that shape and names a top-level message of the schema; a
 * Confluent index list cannot have it in practice (its second index would be 5 and the following
 * ones the name's characters).
 */
final class ProtobufFormat implements PayloadFormat {
  /** More message indexes than any real nesting; guards against garbage allocating a huge path. */
  private static final int MAX_INDEXES = 100;

  @Override
  public String schemaType() {
    return "PROTOBUF";
  }

  @Override
  public PayloadDecoder compile(
      RegisteredSchema registered, SchemaRegistryClient registry, String metadataColumn) {
    ProtobufSchemas.Linked linked = ProtobufSchemas.link(registered, registry);
    return new Decoder(linked, metadataColumn);
  }

  /** The row type and reader of one message type of the schema. */
  private record Compiled(Type.Struct type, ProtobufMessageReader reader) {}

  private static final class Decoder implements PayloadDecoder {
    private final ProtobufSchemas.Linked linked;
    private final String metadataColumn;
    private final Map<List<Integer>, Compiled> byPath = new ConcurrentHashMap<>();
    private final Map<String, Integer> byName = new ConcurrentHashMap<>();
    private volatile Compiled first; // [0], by far the most common path

    Decoder(ProtobufSchemas.Linked linked, String metadataColumn) {
      this.linked = linked;
      this.metadataColumn = metadataColumn;
    }

    @Override
    public Decoded decode(byte[] value, int offset) throws IOException {
      Compiled byName = apicurioRef(value, offset);
      if (byName != null) {
        CodedInputStream in = CodedInputStream.newInstance(value, offset, value.length - offset);
        in.skipRawBytes(in.readRawVarint32());
        return new Decoded(byName.type(), byName.reader().read(in));
      }
      CodedInputStream in = CodedInputStream.newInstance(value, offset, value.length - offset);
      int count = in.readSInt32();
      Compiled compiled;
      if (count == 0) {
        compiled = first();
      } else {
        if (count < 0 || count > MAX_INDEXES) {
          throw new IOException("invalid message index count " + count);
        }
        int[] path = new int[count];
        for (int i = 0; i < count; i++) {
          path[i] = in.readSInt32();
        }
        compiled = count == 1 && path[0] == 0 ? first() : compiled(path);
      }
      Object[] values = compiled.reader().read(in);
      return new Decoded(compiled.type(), values);
    }

    @Override
    public Type.Struct rowType() {
      return first().type();
    }

    /** The message an Apicurio {@code Ref} prefix names, or null when there is no such prefix. */
    private Compiled apicurioRef(byte[] value, int offset) throws IOException {
      // Ref is {string name = 1;}: one length byte (names under 126 bytes), tag 0x0A, name length.
      if (value.length - offset < 3 || value[offset + 1] != 0x0A || value[offset] < 2) {
        return null;
      }
      int refLength = value[offset];
      int nameLength = value[offset + 2];
      if (nameLength < 1 || refLength != 2 + nameLength || offset + 1 + refLength > value.length) {
        return null;
      }
      String name =
          new String(value, offset + 3, nameLength, java.nio.charset.StandardCharsets.UTF_8);
      int index = byName.computeIfAbsent(name, n -> ProtobufSchemas.topLevelIndex(linked, n));
      return index < 0 ? null : index == 0 ? first() : compiled(new int[] {index});
    }

    private Compiled first() {
      Compiled c = first;
      if (c == null) {
        c = compiled(new int[] {0});
        first = c;
      }
      return c;
    }

    private Compiled compiled(int[] path) {
      List<Integer> key = Arrays.stream(path).boxed().toList();
      return byPath.computeIfAbsent(key, k -> compile(path));
    }

    private Compiled compile(int[] path) {
      int extraSlots = metadataColumn == null ? 0 : 1;
      var message = ProtobufSchemas.message(linked, path);
      ProtobufMessageReader reader;
      try {
        reader = ProtobufMapping.message(linked.schema(), message, extraSlots);
      } catch (IllegalArgumentException e) { // compiled on first use, but a schema problem
        throw new UnmappableSchemaException(e.getMessage(), e);
      }
      return new Compiled(KafkaMetadata.append(reader.type(), metadataColumn), reader);
    }
  }
}
