package dev.authsome.vault.keychain;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Secret Service transport encryption {@code dh-ietf1024-sha256-aes128-cbc-pkcs7}: secrets cross the session bus
 * encrypted under a key agreed by Diffie-Hellman (RFC 2409 second Oakley group) and derived with HKDF-SHA256 (no salt,
 * no info), as the Secret Service specification (section "Transfer of Secrets") describes.
 */
final class TransportCipher {
  static final String ALGORITHM = "dh-ietf1024-sha256-aes128-cbc-pkcs7";

  private static final BigInteger PRIME = new BigInteger(
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
          + "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
          + "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF", 16);
  private static final BigInteger GENERATOR = BigInteger.TWO;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keyPair;
  private SecretKeySpec key;

  TransportCipher() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("DH");
      generator.initialize(new DHParameterSpec(PRIME, GENERATOR), RANDOM);
      this.keyPair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Diffie-Hellman is part of every Java runtime", e);
    }
  }

  /** Our public value, big-endian without sign byte, for {@code OpenSession}. */
  byte[] publicValue() {
    return unsigned(((DHPublicKey) keyPair.getPublic()).getY());
  }

  /** Derives the AES key from the service's public value (the {@code OpenSession} output). */
  void agree(byte[] peerPublic) {
    try {
      KeyFactory factory = KeyFactory.getInstance("DH");
      var peer = factory.generatePublic(new DHPublicKeySpec(new BigInteger(1, peerPublic), PRIME, GENERATOR));
      KeyAgreement agreement = KeyAgreement.getInstance("DH");
      agreement.init(keyPair.getPrivate());
      agreement.doPhase(peer, true);
      byte[] shared = agreement.generateSecret();
      // HKDF-SHA256, salt = none (a hash-length block of zeros), info = none, 16 bytes out
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = hmac.doFinal(shared);
      hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
      byte[] okm = hmac.doFinal(new byte[] {1});
      key = new SecretKeySpec(Arrays.copyOf(okm, 16), "AES");
      Arrays.fill(shared, (byte) 0);
      Arrays.fill(prk, (byte) 0);
      Arrays.fill(okm, (byte) 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the Secret Service sent an unusable public key: " + e.getMessage(), e);
    }
  }

  /** Returns {iv, ciphertext}. */
  byte[][] encrypt(byte[] plain) {
    byte[] iv = new byte[16];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      return new byte[][] {iv, cipher.doFinal(plain)};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CBC is part of every Java runtime", e);
    }
  }

  byte[] decrypt(byte[] iv, byte[] sealed) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(iv));
    return cipher.doFinal(sealed);
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
