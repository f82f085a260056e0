package dev.authsome.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.spi.Vault;
import dev.authsome.core.spi.VaultContext;
import dev.authsome.core.spi.VaultProvider;
import org.junit.jupiter.api.Test;

class VaultBackendsTest {

  /** A backend that only has a name; opening it is never needed to choose it. */
  private record Named(String id) implements VaultProvider {
    @Override
    public Vault open(VaultContext context) {
      throw new UnsupportedOperationException("not opened in this test");
    }
  }

  @Test
  void provider_whenIdIsKnown_returnsThatInstance() {
    var file = new Named("file");
    var backends = VaultBackends.of(new Named("memory"), file);

    assertThat(backends.provider("file")).isSameAs(file);
    assertThat(backends.ids()).containsExactly("file", "memory");
  }

  @Test
  void provider_whenIdIsUnknown_failsWithUsageListingTheAvailableIds() {
    var backends = VaultBackends.of(new Named("memory"), new Named("file"));

    assertThatThrownBy(() -> backends.provider("kechain"))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
        .hasMessage("unknown vault backend 'kechain'; available: file, memory");
  }

  @Test
  void of_whenTwoBackendsShareAnId_keepsTheFirstAndReportsTheClash() {
    var first = new Named("file");
    var backends = VaultBackends.of(first, new Named("file"));

    assertThat(backends.provider("file")).isSameAs(first);
    assertThat(backends.problems()).singleElement().asString().contains("'file'", "provided twice");
  }

  @Test
  void find_whenNoBackendIsInstalled_saysSo() {
    // core's own test class path carries no backend; the backend modules test discovery of themselves
    assertThat(VaultBackends.available()).isEmpty();
    assertThatThrownBy(() -> VaultBackends.find("file"))
        .hasMessage("unknown vault backend 'file'; available: none (no vault backend is installed)");
  }
}
