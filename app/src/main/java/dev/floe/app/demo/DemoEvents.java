package dev.floe.app.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The demo's two topics: shop orders and web clickstream events, with varied Avro types. */
public final class DemoEvents {
  static final Schema ORDER =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Order", "namespace": "demo.shop", "fields": [
        {"name": "order_id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "customer_id", "type": "long"},
        {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["PLACED", "PAID", "SHIPPED"]}},
        {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
        {"name": "currency", "type": "string"},
        {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
          {"name": "sku", "type": "string"}, {"name": "quantity", "type": "int"}, {"name": "unit_price", "type": "double"}]}}},
        {"name": "order_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "shipping", "type": ["null", {"type": "record", "name": "Address", "fields": [
          {"name": "city", "type": "string"}, {"name": "country", "type": "string"}]}], "default": null}
      ]}""");

  static final Schema CLICK =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "Click", "namespace": "demo.web", "fields": [
        {"name": "event_id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "user_id", "type": "long"},
        {"name": "session_id", "type": "string"},
        {"name": "event_type", "type": {"type": "enum", "name": "EventType", "symbols": ["VIEW", "CLICK", "ADD_TO_CART"]}},
        {"name": "page_url", "type": "string"},
        {"name": "event_ts", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "device", "type": ["null", "string"], "default": null},
        {"name": "properties", "type": {"type": "map", "values": "string"}}
      ]}""");

  private static final String[] CITIES = {"Lisbon", "Osaka", "Denver", "Nairobi", "Oslo"};
  private static final String[] COUNTRIES = {"PT", "JP", "US", "KE", "NO"};
  private static final String[] PAGES = {"/", "/search", "/product/42", "/cart", "/checkout"};
  private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

  private final Random random = new Random(7);

  GenericRecord order(long nowMillis) {
    GenericRecord o = new GenericData.Record(ORDER);
    o.put("order_id", UUID.randomUUID().toString());
    o.put("customer_id", 1000L + random.nextInt(500));
    o.put(
        "status",
        new GenericData.EnumSymbol(
            ORDER.getField("status").schema(), pick(new String[] {"PLACED", "PAID", "SHIPPED"})));
    Schema itemSchema = ORDER.getField("items").schema().getElementType();
    int n = 1 + random.nextInt(3);
    java.util.ArrayList<GenericRecord> items = new java.util.ArrayList<>();
    double total = 0;
    for (int i = 0; i < n; i++) {
      GenericRecord item = new GenericData.Record(itemSchema);
      double price = 1 + random.nextInt(20000) / 100.0;
      int qty = 1 + random.nextInt(4);
      item.put("sku", "SKU-" + random.nextInt(1000));
      item.put("quantity", qty);
      item.put("unit_price", price);
      items.add(item);
      total += price * qty;
    }
    o.put("items", items);
    Schema amount = ORDER.getField("amount").schema();
    ByteBuffer bytes =
        DECIMALS.toBytes(
            BigDecimal.valueOf(total).setScale(2, RoundingMode.HALF_UP),
            amount,
            amount.getLogicalType());
    o.put("amount", bytes);
    o.put("currency", "EUR");
    o.put("order_ts", nowMillis);
    if (random.nextInt(10) > 0) {
      Schema addressSchema = ORDER.getField("shipping").schema().getTypes().get(1);
      GenericRecord address = new GenericData.Record(addressSchema);
      int c = random.nextInt(CITIES.length);
      address.put("city", CITIES[c]);
      address.put("country", COUNTRIES[c]);
      o.put("shipping", address);
    }
    return o;
  }

  GenericRecord click(long nowMillis) {
    GenericRecord c = new GenericData.Record(CLICK);
    c.put("event_id", UUID.randomUUID().toString());
    c.put("user_id", (long) random.nextInt(10_000));
    c.put("session_id", "s-" + random.nextInt(2_000));
    c.put(
        "event_type",
        new GenericData.EnumSymbol(
            CLICK.getField("event_type").schema(),
            pick(new String[] {"VIEW", "CLICK", "ADD_TO_CART"})));
    c.put("page_url", pick(PAGES));
    c.put("event_ts", nowMillis * 1000 + random.nextInt(1000));
    c.put("device", random.nextBoolean() ? pick(new String[] {"ios", "android", "web"}) : null);
    c.put(
        "properties",
        Map.of(
            "ab_test",
            random.nextBoolean() ? "A" : "B",
            "referrer",
            pick(new String[] {"ads", "mail", "direct"})));
    return c;
  }

  public static List<String> topics() {
    return List.of("orders", "clickstream");
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
