package dev.authsome.vault.file;

import dev.authsome.core.AuthsomeException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** The master key from the environment variable {@code AUTHSOME_MASTER_KEY}: base64 of exactly 32 bytes. */
final class EnvMasterKey implements MasterKeySource {

  static final String VARIABLE = "AUTHSOME_MASTER_KEY";

  private final String base64;

  EnvMasterKey(String base64) {
    this.base64 = base64;
  }

  @Override
  public String describe() {
    return VARIABLE;
  }

  @Override
  public Optional<SecretKey> load() {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // the decoder's message can quote a character of the value, so it is left out
      throw AuthsomeException.vault(VARIABLE + " is not valid base64; set it to the base64 form of a 32-byte key"
          + " (for a new vault: openssl rand -base64 32), or unset it to use the key file");
    }
    if (key.length != RecordCipher.KEY_BYTES) {
      throw AuthsomeException.vault(VARIABLE + " decodes to " + key.length + " bytes, but the vault needs exactly "
          + RecordCipher.KEY_BYTES + "; set it to the base64 form of a 32-byte key (for a new vault: openssl rand"
          + " -base64 32), or unset it to use the key file");
    }
    return Optional.of(new SecretKeySpec(key, "AES"));
  }

  @Override
  public boolean canStore() {
    return false;
  }

  @Override
  public void store(SecretKey key) {
    throw new UnsupportedOperationException(VARIABLE + " is set by the user, never by authsome");
  }

  @Override
  public String whenMissing() {
    return "set " + VARIABLE + " to the key this vault was created with (or unset it if the vault uses its key file)";
  }
}
