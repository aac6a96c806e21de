package dev.runnel.market.repository.adapter.out.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.market.MarketProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AesGcmCredentialCipherTest {
  private static MarketProperties withKey(String key) {
    return new MarketProperties(
        key,
        1024,
        1024,
        0,
        1024,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofHours(1),
        Duration.ofSeconds(30),
        100,
        false);
  }

  private static String key(char fill) {
    return Base64.getEncoder()
        .encodeToString(String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aSealedSecretOpensWithTheSameKeyOnlyAndNeverShowsThePlainText() {
    AesGcmCredentialCipher cipher = new AesGcmCredentialCipher(withKey(key('k')));
    byte[] sealed = cipher.seal("hunter2-password");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    assertThat(cipher.open(sealed)).isEqualTo("hunter2-password");
    assertThat(cipher.seal("hunter2-password")).as("a fresh nonce each time").isNotEqualTo(sealed);

    AesGcmCredentialCipher other = new AesGcmCredentialCipher(withKey(key('o')));
    assertThatThrownBy(() -> other.open(sealed)).hasMessageContaining("secret-key changed");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.open(sealed)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutAKeyNothingCanBeSealedAndABadKeyStopsTheStart() {
    AesGcmCredentialCipher none = new AesGcmCredentialCipher(withKey(null));
    assertThat(none.available()).isFalse();
    assertThatThrownBy(() -> none.seal("x")).hasMessageContaining("not configured");
    assertThatThrownBy(() -> new AesGcmCredentialCipher(withKey("not base64!")))
        .hasMessageContaining("not base64");
    assertThatThrownBy(
            () ->
                new AesGcmCredentialCipher(
                    withKey(Base64.getEncoder().encodeToString(new byte[7]))))
        .hasMessageContaining("16, 24 or 32");
  }
}
