package dev.authsome.vault.file;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals one record with AES-256-GCM (the JDK's provider): a fresh random 12-byte nonce per write, a 128-bit tag, and
 * the record's key as associated data, so a ciphertext copied to another key does not open. A sealed record is
 * {@code <base64 nonce>.<base64 ciphertext+tag>}.
 */
final class RecordCipher {

  static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final SecretKey key;
  /**
   * A Cipher per thread, initialised afresh (with a new nonce) for every record: looking the transformation up in the
   * JCA providers cost more than decrypting a record, which {@code list} does for every connection.
   */
  private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(RecordCipher::newCipher);

  RecordCipher(SecretKey key) {
    this.key = key;
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      // AES-GCM is a required algorithm of every Java platform; failing here means a broken JDK installation.
      throw new IllegalStateException("this Java runtime has no " + TRANSFORMATION, e);
    }
  }

  /** Seals {@code plaintext} for the record {@code recordKey}. */
  String seal(String recordKey, String plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    Randomness.INSTANCE.nextBytes(nonce);
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(recordKey.getBytes(UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(UTF_8));
      Base64.Encoder base64 = Base64.getEncoder();
      return base64.encodeToString(nonce) + "." + base64.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      // AES-GCM is a required algorithm of every Java platform; failing here means a broken JDK installation.
      throw new IllegalStateException("this Java runtime cannot encrypt with " + TRANSFORMATION, e);
    }
  }

  /**
   * Opens a record sealed for {@code recordKey}; empty when it does not open: malformed, altered, sealed for another
   * key, or sealed with another master key.
   */
  Optional<String> open(String recordKey, String sealed) {
    int dot = sealed.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    byte[] nonce;
    byte[] ciphertext;
    try {
      Base64.Decoder base64 = Base64.getDecoder();
      nonce = base64.decode(sealed.substring(0, dot));
      ciphertext = base64.decode(sealed.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (nonce.length != NONCE_BYTES || ciphertext.length < TAG_BITS / 8) {
      return Optional.empty();
    }
    try {
      Cipher cipher = ciphers.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(recordKey.getBytes(UTF_8));
      return Optional.of(new String(cipher.doFinal(ciphertext), UTF_8));
    } catch (javax.crypto.AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this Java runtime cannot decrypt with " + TRANSFORMATION, e);
    }
  }

  /** Whether {@code sealed} opens for {@code recordKey}. */
  boolean opens(String recordKey, String sealed) {
    return open(recordKey, sealed).isPresent();
  }

  /** The one SecureRandom, made on first use: reads never pay for seeding it. */
  static final class Randomness {
    static final SecureRandom INSTANCE = new SecureRandom();

    private Randomness() {
    }
  }
}
