package dev.floe.core.row;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnNamesTest {
  private static Type.Struct struct(String... names) {
    return new Type.Struct(
        java.util.Arrays.stream(names).map(n -> Field.optional(n, Type.Primitive.STRING)).toList());
  }

  private static List<String> names(Type.Struct s) {
    return s.fields().stream().map(Field::name).toList();
  }

  @Test
  void illegalCharactersBecomeUnderscoresAndLeadingDigitsArePrefixed() {
    assertThat(names(ColumnNames.safe(struct("first name", "a.b", "e-mail", "2fa", "größe", "_"))))
        .containsExactly("first_name", "a_b", "e_mail", "_2fa", "gr__e", "_");
  }

  @Test
  void caseInsensitiveCollisionsGetNumberedInSourceOrder() {
    assertThat(names(ColumnNames.safe(struct("id", "ID", "Id", "id_2"))))
        .containsExactly("id", "ID_2", "Id_3", "id_2_2");
  }

  @Test
  void nestedStructsInListsAndMapsAreRenamedToo() {
    Type.Struct inner = struct("x y", "X_Y");
    Type.Struct outer =
        new Type.Struct(
            List.of(
                Field.required("items", new Type.ListType(inner, false)),
                Field.required("by key", new Type.MapType(Type.Primitive.STRING, inner, true))));

    Type.Struct safe = ColumnNames.safe(outer);

    assertThat(names(safe)).containsExactly("items", "by_key");
    Type.Struct element = (Type.Struct) ((Type.ListType) safe.fields().get(0).type()).element();
    assertThat(names(element)).containsExactly("x_y", "X_Y_2");
    Type.Struct value = (Type.Struct) ((Type.MapType) safe.fields().get(1).type()).value();
    assertThat(names(value)).containsExactly("x_y", "X_Y_2");
  }

  @Test
  void safeNamesKeepTheSameInstance() {
    Type.Struct ok = struct("order_id", "Amount", "_kafka");
    assertThat(ColumnNames.safe(ok)).isSameAs(ok);
  }
}
