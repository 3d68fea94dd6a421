package dev.floe.bench;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The benchmark event: a web-shop click with 16 top-level fields and an optional nested context,
 * about 440 bytes of Avro binary. Values vary realistically (URLs with query strings, user agents,
 * ISO timestamps) so that Parquet dictionary and compression behave as on real data, not on a
 * repeated constant row. Deterministic per seed.
 */
final class BenchEvents {
  static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
      {"type": "record", "name": "PageEvent", "namespace": "bench.web", "fields": [
        {"name": "event_id", "type": "long"},
        {"name": "user_id", "type": "long"},
        {"name": "session_id", "type": "string"},
        {"name": "event_type", "type": "string"},
        {"name": "page_url", "type": "string"},
        {"name": "referrer", "type": "string"},
        {"name": "country", "type": "string"},
        {"name": "device", "type": "string"},
        {"name": "browser", "type": "string"},
        {"name": "quantity", "type": "long"},
        {"name": "price", "type": "double"},
        {"name": "amount", "type": "double"},
        {"name": "score", "type": "double"},
        {"name": "is_member", "type": "boolean"},
        {"name": "event_ts_ms", "type": "long"},
        {"name": "event_time", "type": "string"},
        {"name": "ctx", "type": ["null", {"type": "record", "name": "Context", "fields": [
          {"name": "app_version", "type": "string"},
          {"name": "os", "type": "string"},
          {"name": "lat", "type": "double"},
          {"name": "lon", "type": "double"}]}], "default": null}
      ]}""");

  private static final Schema CTX = SCHEMA.getField("ctx").schema().getTypes().get(1);
  private static final String[] EVENT_TYPES = {
    "page_view",
    "page_view",
    "page_view",
    "product_view",
    "add_to_cart",
    "remove_from_cart",
    "checkout_start",
    "purchase",
    "search",
    "login"
  };
  private static final String[] SECTIONS = {
    "products",
    "category",
    "search",
    "cart",
    "checkout",
    "account",
    "blog",
    "deals",
    "brands",
    "help"
  };
  private static final String[] SLUGS = {
    "ultralight-trail-running-shoe",
    "noise-cancelling-headphones-pro",
    "stainless-steel-burr-coffee-grinder",
    "insulated-winter-parka",
    "65w-gan-usb-c-charger",
    "cork-yoga-mat",
    "tenkeyless-mechanical-keyboard",
    "digital-air-fryer-xl",
    "merino-wool-socks-3-pack",
    "smart-led-desk-lamp"
  };
  private static final String[] CAMPAIGNS = {
    "spring_sale",
    "newsletter_w47",
    "retargeting",
    "brand_search",
    "black_friday",
    "app_install",
    "loyalty_q4"
  };
  private static final String[] SOURCES = {
    "google", "facebook", "newsletter", "instagram", "bing", "partner_site"
  };
  private static final String[] REFERRERS = {
    "https://www.google.com/search?q=",
    "https://www.bing.com/search?q=",
    "https://www.facebook.com/",
    "https://t.co/",
    "https://news.ycombinator.com/item?id=",
    "https://www.reddit.com/r/deals/comments/",
    "https://duckduckgo.com/?q=",
    ""
  };
  private static final String[] QUERIES = {
    "running+shoes",
    "wireless+headphones+noise+cancelling",
    "coffee+grinder",
    "winter+jacket+men",
    "usb-c+charger+65w",
    "yoga+mat",
    "mechanical+keyboard",
    "air+fryer+large"
  };
  private static final String[] COUNTRIES = {
    "US", "DE", "FR", "GB", "JP", "BR", "IN", "PT", "NL", "CA", "ES", "KE"
  };
  private static final String[] DEVICES = {"desktop", "mobile", "mobile", "tablet", "smart_tv"};
  private static final String[] BROWSERS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Edg/131.0.2903.51"
  };
  private static final String[] OSES = {
    "iOS 18.1", "Android 14", "Android 13", "iPadOS 17.6", "Windows 11", "macOS 14.6"
  };

  /**
   * Events span one day ending at the benchmark date, so partitioning by time would spread them.
   */
  private static final long BASE_MS = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();

  private final SplittableRandom random;
  private long sequence;

  /** User ids drawn from {@code users} values: the keys of an upsert run. */
  BenchEvents(long seed, int users) {
    this(seed);
    this.users = users;
  }

  BenchEvents(long seed) {
    this.random = new SplittableRandom(seed);
    this.sequence = 1_000_000_000L * (seed & 0xff);
  }

  private int users = 2_000_000;

  GenericRecord next() {
    GenericRecord e = new GenericData.Record(SCHEMA);
    long userId = 100_000L + random.nextInt(users);
    long tsMs =
        BASE_MS + (sequence * 86_400_000L / 1_000_000L) % 86_400_000L + random.nextInt(1000);
    String type = pick(EVENT_TYPES);
    long quantity =
        type.equals("purchase") || type.equals("add_to_cart") ? 1 + random.nextInt(5) : 0;
    double price = Math.round((2 + random.nextDouble() * 498) * 100) / 100.0;
    e.put("event_id", sequence++);
    e.put("user_id", userId);
    e.put("session_id", new UUID(random.nextLong(), random.nextLong()).toString());
    e.put("event_type", type);
    e.put("page_url", pageUrl());
    e.put("referrer", referrer());
    e.put("country", pick(COUNTRIES));
    e.put("device", pick(DEVICES));
    e.put("browser", pick(BROWSERS));
    e.put("quantity", quantity);
    e.put("price", price);
    e.put("amount", Math.round(price * quantity * 100) / 100.0);
    e.put("score", random.nextDouble());
    e.put("is_member", random.nextInt(3) == 0);
    e.put("event_ts_ms", tsMs);
    e.put("event_time", Instant.ofEpochMilli(tsMs).toString());
    if (random.nextInt(10) < 7) { // web events carry no app context
      GenericRecord ctx = new GenericData.Record(CTX);
      ctx.put(
          "app_version",
          (4 + random.nextInt(3)) + "." + random.nextInt(20) + "." + random.nextInt(10));
      ctx.put("os", pick(OSES));
      ctx.put("lat", -60 + random.nextDouble() * 130);
      ctx.put("lon", -180 + random.nextDouble() * 360);
      e.put("ctx", ctx);
    }
    return e;
  }

  private String pageUrl() {
    StringBuilder url =
        new StringBuilder(128)
            .append("https://shop.example.com/")
            .append(pick(SECTIONS))
            .append('/')
            .append(random.nextInt(100_000))
            .append('-')
            .append(pick(SLUGS))
            .append('-')
            .append(Long.toHexString(random.nextLong() >>> 24));
    if (random.nextInt(4) > 0) { // most traffic arrives through a campaign link
      url.append("?utm_source=")
          .append(pick(SOURCES))
          .append("&utm_campaign=")
          .append(pick(CAMPAIGNS))
          .append("&utm_medium=cpc&gclid=")
          .append(Long.toString(random.nextLong() >>> 1, 36))
          .append(Long.toString(random.nextLong() >>> 1, 36));
    }
    return url.toString();
  }

  private String referrer() {
    String base = pick(REFERRERS);
    if (base.isEmpty()) {
      return base;
    }
    return base
        + (base.endsWith("=") ? pick(QUERIES) : Integer.toString(random.nextInt(10_000_000)));
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
