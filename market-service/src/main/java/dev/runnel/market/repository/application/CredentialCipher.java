package dev.runnel.market.repository.application;

/** Seals repository secrets for storage and opens them for use; the key is configuration. */
public interface CredentialCipher {
  /** False when no key is configured: secrets cannot be stored at all. */
  boolean available();

  byte[] seal(String secret);

  String open(byte[] sealed);
}
