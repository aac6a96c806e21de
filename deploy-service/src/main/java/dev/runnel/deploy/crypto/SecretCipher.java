package dev.runnel.deploy.crypto;

import dev.runnel.deploy.config.DeployProperties;
import dev.runnel.kit.problem.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Seals credentials at rest with AES-GCM: a random 12-byte nonce per value, stored before the
 * ciphertext and its 16-byte tag. The key comes from {@code runnel.deploy.secret-key} (base64 of
 * 16, 24 or 32 bytes); without one, nothing can be sealed and registering a cluster is refused.
 */
@Component
public class SecretCipher {
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;
  private static final byte VERSION = 1;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  public SecretCipher(DeployProperties properties) {
    this.key = parse(properties.secretKey());
  }

  private static SecretKeySpec parse(String encoded) {
    if (encoded == null || encoded.isBlank()) {
      return null;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("runnel.deploy.secret-key is not base64", e);
    }
    if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
      throw new IllegalStateException(
          "runnel.deploy.secret-key must be 16, 24 or 32 bytes, base64-encoded; it has "
              + raw.length);
    }
    return new SecretKeySpec(raw, "AES");
  }

  public boolean configured() {
    return key != null;
  }

  public byte[] seal(String plain) {
    requireConfigured();
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(new byte[] {VERSION});
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + NONCE + sealed.length)
          .put(VERSION)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  public String open(byte[] sealed) {
    requireConfigured();
    if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new IllegalStateException("a sealed value has an unknown format");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
      cipher.updateAAD(new byte[] {VERSION});
      byte[] plain = cipher.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // Wrong key or tampered data: say so, never what the value was.
      throw new IllegalStateException(
          "a sealed credential cannot be opened with the configured runnel.deploy.secret-key", e);
    }
  }

  public void requireConfigured() {
    if (key == null) {
      throw Problem.unavailable(
          "deploy-service has no runnel.deploy.secret-key configured, so it cannot store"
              + " credentials; ask the platform operator to set RUNNEL_DEPLOY_SECRET_KEY");
    }
  }
}
