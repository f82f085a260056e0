package dev.authsome.vault.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast ASCII paths of a record's file name (both ways) give what the general UTF-8 paths give. */
class RecordFolderNameTest {
  private static final String ALPHABET = "abcxyzABCXYZ0189._-:%#/ \\~\u007f\u0000\u00e9\u4e2d";

  @Test
  void asciiFastPath_matchesTheGeneralPath_andKeyOfReadsItBack() {
    SplittableRandom random = new SplittableRandom(20261206);
    for (int i = 0; i < 100_000; i++) {
      StringBuilder key = new StringBuilder();
      int length = random.nextInt(0, i % 10 == 0 ? 120 : 40);
      for (int j = 0; j < length; j++) {
        key.append(random.nextInt(4) == 0 ? (char) random.nextInt(0, 0x80)
            : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String k = key.toString();
      String name = RecordFolder.fileName(k);
      assertThat(name).as(k).isEqualTo(RecordFolder.fileNameOfUtf8(k));
      if (!name.startsWith("#")) {
        assertThat(RecordFolder.keyOf(name)).as(name).isEqualTo(k);
      }
      // and names this code did not write (lower-case escapes, stray '%', non-ASCII) read as the general path reads
      String foreign = k.replace(':', '%').replace('a', '\u00e9') + (i % 3 == 0 ? "%3a" : i % 3 == 1 ? "%" : "%zz");
      assertThat(RecordFolder.keyOf(foreign)).as(foreign).isEqualTo(RecordFolder.keyOfUtf8(foreign));
      assertThat(RecordFolder.keyOf(k)).as(k).isEqualTo(RecordFolder.keyOfUtf8(k));
    }
    assertThat(RecordFolder.fileName("profile:default:openai:connection:c1"))
        .isEqualTo("profile%3Adefault%3Aopenai%3Aconnection%3Ac1");
    assertThat(RecordFolder.fileName(".hidden")).isEqualTo("%2Ehidden");
    assertThat(RecordFolder.fileName("x".repeat(201))).startsWith("#");
  }
}
