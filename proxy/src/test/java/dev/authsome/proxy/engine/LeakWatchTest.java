package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak watch can fail: a buffer dropped without release is reported. */
class LeakWatchTest {
  static {
    LeakWatch.install();
  }

  @Test
  void aBufferDroppedWithoutRelease_isReported() throws Exception {
    leakOne();
    assertThat(LeakWatch.leaks()).isNotEmpty();
  }

  private static void leakOne() {
    ByteBufAllocator.DEFAULT.buffer(64).writeInt(1); // never released, on purpose
  }
}
