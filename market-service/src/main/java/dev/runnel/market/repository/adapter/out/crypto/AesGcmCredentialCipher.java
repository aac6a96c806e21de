package dev.runnel.market.repository.adapter.out.crypto;

import dev.runnel.market.MarketProperties;
import dev.runnel.market.repository.application.CredentialCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * AES-GCM with a random 96-bit nonce per secret, stored as {@code version || nonce || ciphertext}.
 * The associated data binds the ciphertext to this purpose, so a sealed repository secret cannot be
 * replayed as another kind of secret sealed with the same key.
 */
@Component
class AesGcmCredentialCipher implements CredentialCipher {
  private static final byte VERSION = 1;
  private static final byte[] PURPOSE = "runnel.market.repository".getBytes(StandardCharsets.UTF_8);
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  AesGcmCredentialCipher(MarketProperties properties) {
    this.key = key(properties.secretKey());
  }

  static SecretKey key(String base64) {
    if (base64 == null || base64.isBlank()) {
      return null;
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("runnel.market.secret-key is not base64", e);
    }
    if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
      throw new IllegalStateException(
          "runnel.market.secret-key must decode to 16, 24 or 32 bytes, not " + raw.length);
    }
    return new SecretKeySpec(raw, "AES");
  }

  @Override
  public boolean available() {
    return key != null;
  }

  @Override
  public byte[] seal(String secret) {
    requireKey();
    try {
      byte[] nonce = new byte[12];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(PURPOSE);
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(1 + nonce.length + sealed.length)
          .put(VERSION)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("sealing a secret failed", e);
    }
  }

  @Override
  public String open(byte[] sealed) {
    requireKey();
    if (sealed == null || sealed.length < 1 + 12 + 16 || sealed[0] != VERSION) {
      throw new IllegalStateException("a stored repository secret is damaged");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 1, 12));
      cipher.updateAAD(PURPOSE);
      return new String(cipher.doFinal(sealed, 13, sealed.length - 13), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a stored repository secret cannot be opened; was runnel.market.secret-key changed?");
    }
  }

  private void requireKey() {
    if (key == null) {
      throw new IllegalStateException("runnel.market.secret-key is not configured");
    }
  }
}
