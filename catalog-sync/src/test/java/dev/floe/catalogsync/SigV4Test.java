package dev.floe.catalogsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signatures against AWS's published SigV4 test suite (credentials and date of the suite). */
class SigV4Test {
  static final AwsCredentials SUITE =
      new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
  static final Map<String, String> HEADERS =
      Map.of("Host", "example.amazonaws.com", "X-Amz-Date", "20150830T123600Z");

  @Test
  void getVanillaMatchesTheSuite() {
    assertThat(
            SigV4.authorization(
                "GET",
                "/",
                HEADERS,
                new byte[0],
                SUITE,
                "us-east-1",
                "service",
                "20150830T123600Z"))
        .isEqualTo(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                + " SignedHeaders=host;x-amz-date,"
                + " Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void postVanillaMatchesTheSuite() {
    assertThat(
            SigV4.authorization(
                "POST",
                "/",
                HEADERS,
                new byte[0],
                SUITE,
                "us-east-1",
                "service",
                "20150830T123600Z"))
        .endsWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void credentialsNeverPrintTheSecret() {
    assertThat(SUITE.toString()).contains("AKIDEXAMPLE").doesNotContain("EXAMPLEKEY");
  }
}
