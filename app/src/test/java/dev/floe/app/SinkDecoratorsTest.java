package dev.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.core.sink.ForwardingTableSink;
import dev.floe.core.sink.ForwardingWriteBatch;
import dev.floe.core.sink.ListeningTableSink;
import dev.floe.core.sink.TableSink;
import dev.floe.core.sink.WriteBatch;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's sinks are decorated three deep (catalog sync, maintenance scheduling, maintenance
 * metrics). A decorator that inherits a default method of the SPI does nothing where the sink does
 * something: schema sources, freshness and evolution metrics were lost that way once. So the
 * decorators extend the forwarding bases, and those pass every method on, default ones too.
 */
class SinkDecoratorsTest {
  @Test
  void theForwardingBasesPassEveryMethodOfTheSpiOnDefaultOnesToo() {
    assertThat(missing(TableSink.class, ForwardingTableSink.class)).isEmpty();
    assertThat(missing(WriteBatch.class, ForwardingWriteBatch.class)).isEmpty();
  }

  @Test
  void everyDecoratorOfThePipelineExtendsAForwardingBase() throws Exception {
    assertThat(ForwardingTableSink.class)
        .isAssignableFrom(ListeningTableSink.class)
        .isAssignableFrom(Class.forName("dev.floe.compaction.WatchedSink"))
        .isAssignableFrom(MeteredMaintenance.class);
    assertThat(ForwardingWriteBatch.class)
        .isAssignableFrom(Class.forName(ListeningTableSink.class.getName() + "$Listening"));
  }

  private static List<String> missing(Class<?> api, Class<?> decorator) {
    return Arrays.stream(api.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declares(decorator, m))
        .map(m -> decorator.getSimpleName() + " lacks " + m)
        .toList();
  }

  private static boolean declares(Class<?> type, Method m) {
    try {
      type.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
