package dev.authsome.shell.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  private static Table sample() {
    Table t = new Table(List.of("Provider", "Status", "Account"), true, false, true);
    t.row().cell("OpenAI [openai]").cell("connected", Table.GREEN).cell("alice@example.com");
    t.row().cell("A provider with a very long display name [long]").cell("expired", Table.RED).cell("-");
    return t;
  }

  @Test
  void render_alignsColumnsOnVisibleText_evenWithColour() {
    List<String> plain = sample().render(false, 0);
    List<String> coloured = sample().render(true, 0);
    assertThat(plain.get(1).indexOf("connected")).isEqualTo(plain.get(0).indexOf("Status"));
    assertThat(coloured.get(1)).contains("\u001b[32mconnected\u001b[0m");
    assertThat(strip(coloured.get(1))).isEqualTo(plain.get(1));
    assertThat(strip(coloured.get(2))).isEqualTo(plain.get(2));
  }

  @Test
  void render_withoutColour_hasNoEscapeSequences() {
    assertThat(String.join("\n", sample().render(false, 0))).doesNotContain("\u001b");
  }

  @Test
  void render_fitsTheWidth_byCuttingLongColumnsWithAnEllipsis() {
    List<String> lines = sample().render(false, 50);
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(50));
    assertThat(lines.get(2)).contains("\u2026").contains("expired");
    // the status column is never cut
    assertThat(lines.get(1)).contains("connected");
  }

  @Test
  void render_whenNothingCanBeCut_keepsFullValues() {
    Table t = new Table(List.of("Status"), false);
    t.row().cell("not_connected");
    assertThat(t.render(false, 3)).containsExactly("Status", "not_connected");
  }

  private static String strip(String s) {
    return s.replaceAll("\u001b\\[[0-9;]*m", "");
  }
}
