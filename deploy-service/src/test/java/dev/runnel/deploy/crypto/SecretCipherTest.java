package dev.runnel.deploy.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.kit.problem.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private static final String KEY =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  static SecretCipher cipher(String key) {
    return new SecretCipher(
        new DeployProperties(key, "http://market", null, null, null, null, null));
  }

  @Test
  void sealedKubeconfigsOpenWithTheKeyAndDoNotShowThePlainText() {
    SecretCipher cipher = cipher(KEY);
    String kubeconfig = "users:\n- user:\n    token: s3cr3t-token\n";
    byte[] sealed = cipher.seal(kubeconfig);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t-token");
    assertThat(cipher.open(sealed)).isEqualTo(kubeconfig);
    assertThat(cipher.seal(kubeconfig)).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void aTamperedValueOrAnotherKeyIsRefused() {
    byte[] sealed = cipher(KEY).seal("secret");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher(KEY).open(sealed)).hasMessageContaining("cannot be opened");
    String other =
        Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    byte[] good = cipher(KEY).seal("secret");
    assertThatThrownBy(() -> cipher(other).open(good)).hasMessageContaining("cannot be opened");
  }

  @Test
  void withoutAKeyNothingIsStoredAndTheOperatorIsTold() {
    assertThatThrownBy(() -> cipher("").seal("x"))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("RUNNEL_DEPLOY_SECRET_KEY");
    assertThatThrownBy(() -> cipher("c2hvcnQ=")).hasMessageContaining("16, 24 or 32 bytes");
  }
}
