package dev.authsome.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path home;

  @Test
  void aLogPastItsLimit_isRotated_keepingThreeOldOnes_andNothingIsLostFromTheNewOne() throws Exception {
    Home h = new Home(home);
    List<String> warnings = new ArrayList<>();
    AuditLog log = new AuditLog(h, Clock.systemUTC(), warnings::add);
    log.record("first");
    for (int round = 0; round < 5; round++) {
      // grow the log past the limit without writing ten megabytes line by line
      Files.write(h.auditLog(), new byte[(int) AuditLog.ROTATE_AT_BYTES], java.nio.file.StandardOpenOption.APPEND);
      log.record("after-" + round);
    }

    assertThat(warnings).isEmpty();
    assertThat(Files.readString(h.auditLog())).contains("after-4").doesNotContain("after-3");
    assertThat(home.resolve("audit.log.1")).exists();
    assertThat(home.resolve("audit.log.3")).exists();
    assertThat(home.resolve("audit.log.4")).doesNotExist();
    assertThat(log.tail(5)).singleElement().asString().contains("after-4");
  }
}
