package dev.authsome.vault.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs sharing one vault: the cross-process half of the locking. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // guards against a hung child; not a speed requirement
@SuppressWarnings("try") // some resources (a held lock, a read-only folder) matter only for their scope
class FileVaultProcessTest {

  @TempDir Path home;
  private final List<Child> children = new ArrayList<>();

  @AfterEach
  void stopChildren() {
    children.forEach(child -> child.process.destroyForcibly());
  }

  @Test
  void twoProcesses_eachWriting100Records_intoOneNewVault_endWithAll200() throws Exception {
    Child first = start("write", home.toString(), "profile:default:first:connection:c", "100");
    Child second = start("write", home.toString(), "profile:default:second:connection:c", "100");
    first.expect("ready");
    second.expect("ready");

    // released together: both race to create the vault (and its key file), then interleave their writes
    first.send("go");
    second.send("go");
    first.expect("done");
    second.expect("done");
    assertThat(first.process.waitFor()).as(first.stderr()).isZero();
    assertThat(second.process.waitFor()).as(second.stderr()).isZero();

    try (Vault vault = Vaults.open(home, Map.of())) {
      assertThat(vault.keys("profile:default:")).hasSize(200);
      for (String name : List.of("first", "second")) {
        for (int i = 0; i < 100; i++) {
          String key = "profile:default:" + name + ":connection:c" + i;
          assertThat(vault.get(key)).as(key).contains("{\"api_key\":\"" + key + "\"}");
        }
      }
    }
  }

  @Test
  void lockHeldByAnotherProcess_blocksThisOne_untilReleased() throws Exception {
    String name = "refresh:profile:default:github:connection:default";
    Child holder = start("lock", home.toString(), name);
    holder.expect("ready");
    holder.send("go");
    holder.expect("locked");

    try (Vault vault = Vaults.open(home, Map.of())) {
      var acquired = new CountDownLatch(1);
      CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
        try (VaultLock lock = vault.lock(name)) {
          acquired.countDown();
        }
      });
      // While the child holds the lock this never completes; a broken lock would let it through at once.
      assertThat(acquired.await(1, TimeUnit.SECONDS)).as("took a lock another process holds").isFalse();

      holder.send("release");
      holder.expect("done");
      waiter.get(1, TimeUnit.MINUTES);
      assertThat(acquired.getCount()).isZero();
    }
    assertThat(holder.process.waitFor()).as(holder.stderr()).isZero();
  }

  @Test
  void ctrlC_whileWaitingForALockAnotherProcessHolds_isACancellation_exit8_notAVaultError() throws Exception {
    String name = "refresh:profile:default:github:connection:default";
    Child holder = start("lock", home.toString(), name);
    holder.expect("ready");
    holder.send("go");
    holder.expect("locked");

    try (Vault vault = Vaults.open(home, Map.of())) {
      var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread waiter = new Thread(() -> {
        try (VaultLock lock = vault.lock(name)) {
          failure.set(new AssertionError("took a lock another process holds"));
        } catch (RuntimeException e) {
          failure.set(e);
        }
      });
      waiter.start();
      // the interrupt is what the shell's Ctrl-C does; whenever it lands, the wait ends as a cancellation
      waiter.interrupt();
      waiter.join(TimeUnit.MINUTES.toMillis(1));

      assertThat(failure.get()).isInstanceOfSatisfying(dev.authsome.core.AuthsomeException.class, e -> {
        assertThat(e.code()).isEqualTo(dev.authsome.core.ErrorCode.INPUT_CANCELLED);
        assertThat(e.code().exitCode()).isEqualTo(8);
        assertThat(e.getMessage()).contains("cancelled").contains("nothing was written");
      });
    }
    holder.send("release");
    holder.expect("done");
  }

  private Child start(String... args) throws IOException {
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), VaultChildMain.class.getName()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    builder.environment().remove("AUTHSOME_MASTER_KEY");
    Path stderr = Files.createTempFile("vault-child", ".err");
    builder.redirectError(stderr.toFile());
    var child = new Child(builder.start(), stderr);
    children.add(child);
    return child;
  }

  private static final class Child {
    final Process process;
    final Path stderrFile;
    final BufferedReader out;
    final Writer in;

    Child(Process process, Path stderrFile) {
      this.process = process;
      this.stderrFile = stderrFile;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), UTF_8);
    }

    void expect(String line) throws IOException {
      String read = out.readLine();
      assertThat(read).as("child said %s; stderr: %s", read, stderr()).isEqualTo(line);
    }

    void send(String line) throws IOException {
      in.write(line + "\n");
      in.flush();
    }

    String stderr() {
      try {
        return Files.readString(stderrFile, UTF_8);
      } catch (IOException e) {
        return "(stderr unreadable: " + e + ")";
      }
    }
  }
}
