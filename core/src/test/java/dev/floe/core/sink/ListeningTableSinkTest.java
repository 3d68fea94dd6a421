package dev.floe.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListeningTableSinkTest {
  /**
   * A decorator that inherits a default method does nothing where the wrapped sink does something:
   * schema sources, freshness and metrics were lost that way once.
   */
  @Test
  void theDecoratorDelegatesEveryMethodOfTheSinkAndTheBatchDefaultOnesToo() throws Exception {
    assertThat(missing(TableSink.class, ListeningTableSink.class)).isEmpty();
    Class<?> batch = Class.forName(ListeningTableSink.class.getName() + "$Listening");
    assertThat(missing(WriteBatch.class, batch)).isEmpty();
  }

  private static List<String> missing(Class<?> api, Class<?> decorator) {
    return Arrays.stream(api.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declares(decorator, m))
        .map(Method::toString)
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
