package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrubberTest {
  static final String SECRET = "sk-live-abcdef0123456789";

  @Test
  void aSecretSplitAcrossPieces_isStillReplaced_andTheLengthIsKept() {
    String body = "{\"echo\":\"" + SECRET + "\",\"again\":\"" + SECRET + "\"}";
    StringBuilder out = new StringBuilder();
    for (int cut = 1; cut < body.length(); cut++) {
      Scrubber s = new Scrubber(List.of(SECRET), "authsome-proxy-managed");
      out.setLength(0);
      out.append(piece(s, body.substring(0, cut), false)).append(piece(s, body.substring(cut), true));
      assertThat(out.toString()).as("cut at " + cut).doesNotContain(SECRET).hasSameSizeAs(body)
          .contains("authsome-proxy-managed**");
    }
  }

  @Test
  void shortValues_areNotTreatedAsSecrets_andHeadersAreScrubbed() {
    Scrubber s = new Scrubber(List.of("abc", SECRET), "authsome-proxy-managed");
    assertThat(s.scrub("Bearer " + SECRET)).isEqualTo("Bearer authsome-proxy-managed**");
    assertThat(s.scrub("abc abc")).isEqualTo("abc abc");
  }

  private static String piece(Scrubber s, String text, boolean last) {
    ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    ByteBuf out = s.next(in, last, ByteBufAllocator.DEFAULT);
    in.release();
    String result = out.toString(StandardCharsets.UTF_8);
    out.release();
    return result;
  }
}
