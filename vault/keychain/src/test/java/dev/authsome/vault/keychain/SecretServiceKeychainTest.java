package dev.authsome.vault.keychain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keychain backend against the real Secret Service of this session (gnome-keyring in CI). */
class SecretServiceKeychainTest {
  @TempDir Path home;
  @TempDir Path otherHome;

  @BeforeEach
  void requireSecretService() {
    SecretServiceEnvironment.require();
  }

  private Vault open(Path h) {
    return new KeychainVaultProvider().open(new VaultContext(h, SecretServiceEnvironment.environment(), Map.of()));
  }

  @Test
  void put_storesOneItemPerRecord_visibleToSecretToolWithServiceAccountAndVaultAttributes() throws Exception {
    try (Vault vault = open(home)) {
      vault.put("profile:default:github:connection:work", "{\"access_token\":\"gho_x\"}");
    }
    String vaultId = Files.readString(home.resolve("vault-id")).trim();
    String search = run("secret-tool", "search", "--all", "service", "authsome", "vault", vaultId);
    assertThat(search)
        .contains("label = authsome: profile:default:github:connection:work")
        .contains("attribute.account = profile:default:github:connection:work")
        .contains("attribute.vault = " + vaultId)
        .contains("secret = {\"access_token\":\"gho_x\"}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("vault-id"))))
        .isEqualTo("rw-------");
  }

  @Test
  void twoHomes_neverSeeEachOthersItems() {
    try (Vault one = open(home); Vault two = open(otherHome)) {
      one.put("profile:default:openai:connection:default", "one");
      two.put("profile:default:openai:connection:default", "two");
      assertThat(one.get("profile:default:openai:connection:default")).contains("one");
      assertThat(two.get("profile:default:openai:connection:default")).contains("two");
      assertThat(one.delete("profile:default:openai:connection:default")).isTrue();
      assertThat(two.get("profile:default:openai:connection:default")).contains("two");
      assertThat(one.keys("")).isEmpty();
      assertThat(two.keys("")).containsExactly("profile:default:openai:connection:default");
    }
  }

  @Test
  void reopenedVault_readsWhatAnEarlierProcessWrote() {
    try (Vault vault = open(home)) {
      vault.put("k", "v1");
      vault.put("k", "v2");
    }
    try (Vault vault = open(home)) {
      assertThat(vault.get("k")).contains("v2");
      assertThat(vault.keys("")).containsExactly("k");
    }
  }

  @Test
  void valueThatLooksLikeABlobReference_roundTripsThroughAnEncryptedBlob() throws IOException {
    String tricky = BlobFiles.MARKER + "00000000000000000000000000000000:AAAA";
    try (Vault vault = open(home)) {
      vault.put("k", tricky);
      assertThat(vault.get("k")).contains(tricky);
      try (var blobs = Files.list(home.resolve("vault/keychain-blobs"))) {
        List<Path> files = blobs.toList();
        assertThat(files).hasSize(1);
        assertThat(new String(Files.readAllBytes(files.get(0)), StandardCharsets.ISO_8859_1)).doesNotContain(tricky);
      }
      vault.delete("k");
      try (var blobs = Files.list(home.resolve("vault/keychain-blobs"))) {
        assertThat(blobs.toList()).isEmpty();
      }
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(20, TimeUnit.SECONDS);
    return out;
  }
}
