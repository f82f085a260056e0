package dev.authsome.vault.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.AuthsomeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time-boxed fuzzing of the vault file's decoding (see {@link Fuzz}): a damaged file is read as records or refused
 * with one message that names the file; nothing else escapes, and no sealed value is quoted back.
 */
class RecordsFileFuzzTest {
  @TempDir Path dir;

  @Test
  void damagedVaultFiles_readOrFailNamingTheFile() throws Exception {
    TreeMap<String, String> records = new TreeMap<>();
    records.put("profile:default:github:connection:work", "v1.c2VhbGVkLXJlY29yZC1vbmU.dGFn");
    records.put("profile:default:openai:connection:default", "v1.c2VhbGVkLXR3bw.dGFn");
    byte[] seed = RecordsFile.write(records);
    Path file = dir.resolve("vault.json");
    long n = Fuzz.run("vault file decoding", random -> {
      byte[] bytes = seed.clone();
      StringBuilder s = new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
      for (int e = 0; e < 1 + random.nextInt(5) && s.length() > 0; e++) {
        int at = random.nextInt(s.length());
        switch (random.nextInt(5)) {
          case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(20)));
          case 1 -> s.insert(at, "{}[]\":,\\0 x\u0000\u00e9".charAt(random.nextInt(13)));
          case 2 -> s.setCharAt(at, (char) random.nextInt(0x100));
          case 3 -> s.insert(random.nextInt(s.length()), s.substring(at, Math.min(s.length(), at + 40)));
          default -> s.setLength(at);
        }
      }
      try {
        Files.writeString(file, s);
        RecordsFile.Snapshot snapshot = RecordsFile.read(file);
        assertThat(snapshot.exists()).isTrue();
      } catch (AuthsomeException e) {
        // names (a record's key, an unknown field) are quoted, escaped, to say what is damaged, and a mutation can
        // move sealed text into a name; outside the quoted names no sealed text may come back
        String outsideNames = e.getMessage().replaceAll("record '[^']*'", "record").replaceAll("field \"[^\"]*\"",
            "field");
        assertThat(e.getMessage()).contains(file.toString()).doesNotContain("\n").doesNotContain("\r");
        assertThat(outsideNames).doesNotContain("c2VhbGVk");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(n).isPositive();
  }
}
