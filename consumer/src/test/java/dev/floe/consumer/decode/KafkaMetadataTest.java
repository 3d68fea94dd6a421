package dev.floe.consumer.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.row.Row;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaMetadataTest {
  @Test
  void aRecordWithoutTimestampHasANullTimestampAndAHeaderWithoutValueANullValue() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", null);
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            "t",
            1,
            7L,
            -1L,
            TimestampType.NO_TIMESTAMP_TYPE,
            -1,
            0,
            null,
            new byte[0],
            headers,
            Optional.empty());

    Row meta = KafkaMetadata.row(r);

    assertThat(meta.get(0)).isEqualTo("t");
    assertThat(meta.get(2)).isEqualTo(7L);
    assertThat(meta.get(3)).isNull();
    assertThat(meta.get(4)).isNull();
    assertThat(meta.get(5)).isEqualTo(List.of(Row.wrap("trace", null)));
  }

  @Test
  void aCreateTimeBecomesMicroseconds() {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            "t",
            0,
            0L,
            1_700_000_000_123L,
            TimestampType.CREATE_TIME,
            1,
            0,
            new byte[] {9},
            new byte[0],
            new RecordHeaders(),
            Optional.empty());

    Row meta = KafkaMetadata.row(r);

    assertThat(meta.get(3)).isEqualTo(1_700_000_000_123_000L);
    assertThat(meta.get(4)).isEqualTo(ByteBuffer.wrap(new byte[] {9}));
  }
}
