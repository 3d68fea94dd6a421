package dev.floe.consumer.decode;

import java.io.IOException;

/**
 * Checks that string bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at
 * most U+10FFFF). A table's string column promises UTF-8; engines reading malformed bytes fail or
 * show garbage later, far from the record that caused it. ASCII, the common case, costs one
 * comparison per byte.
 */
final class Utf8Validation {
  private Utf8Validation() {}

  static void check(byte[] b, int length) throws IOException {
    int i = 0;
    while (i < length) {
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      int lead = c & 0xff;
      int n;
      int min;
      if (lead >= 0xc2 && lead <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (lead >= 0xe0 && lead <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (lead >= 0xf0 && lead <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        throw malformed(b, i);
      }
      if (i + n >= length) { // the sequence runs past the end
        throw malformed(b, i);
      }
      int cp = lead & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cont = b[i + k] & 0xff;
        if ((cont & 0xc0) != 0x80) {
          throw malformed(b, i);
        }
        cp = (cp << 6) | (cont & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        throw malformed(b, i);
      }
      i += n + 1;
    }
  }

  private static IOException malformed(byte[] b, int at) {
    return new IOException(
        String.format(
            "the string is not valid UTF-8 (byte 0x%02x at position %d); string columns hold UTF-8"
                + " text: produce the field as bytes if it is binary",
            b[at] & 0xff, at));
  }
}
