package dev.authsome.shell.command;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A text table: columns aligned on the visible text, optional ANSI colour per cell, and fitted to the terminal
 * width by cutting the widest cutting-allowed columns with an ellipsis. Colour codes never count towards widths.
 */
final class Table {
  static final String GREEN = "32";
  static final String YELLOW = "33";
  static final String RED = "31";
  static final String FAINT = "2";
  private static final String GAP = "  ";
  private static final int MIN_CUT_WIDTH = 6;

  private record Cell(String text, @Nullable String colour) {
  }

  private final List<String> headers;
  private final boolean[] cuttable;
  private final List<List<Cell>> rows = new ArrayList<>();

  /** {@code cuttable[i]}: column i may be shortened to fit the width (names, accounts), others never are. */
  Table(List<String> headers, boolean... cuttable) {
    this.headers = List.copyOf(headers);
    this.cuttable = cuttable.length == headers.size() ? cuttable.clone() : new boolean[headers.size()];
  }

  /** Starts a row; {@link Row#cell} adds its cells left to right. */
  Row row() {
    List<Cell> cells = new ArrayList<>();
    rows.add(cells);
    return new Row(cells);
  }

  /** The cells of one row. */
  static final class Row {
    private final List<Cell> cells;

    private Row(List<Cell> cells) {
      this.cells = cells;
    }

    Row cell(String text) {
      return cell(text, null);
    }

    Row cell(String text, @Nullable String colour) {
      cells.add(new Cell(text == null ? "" : text, colour));
      return this;
    }
  }

  /** The lines of the table, the header first; {@code width} 0 means no limit. */
  List<String> render(boolean colour, int width) {
    int n = headers.size();
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      widths[i] = headers.get(i).length();
    }
    for (List<Cell> row : rows) {
      for (int i = 0; i < n && i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).text().length());
      }
    }
    fit(widths, width);
    List<String> lines = new ArrayList<>();
    List<Cell> header = headers.stream().map(h -> new Cell(h, "1")).toList();
    lines.add(line(header, widths, colour));
    for (List<Cell> row : rows) {
      lines.add(line(row, widths, colour));
    }
    return lines;
  }

  /** Shrinks the widest cuttable column by one until the table fits or nothing can be cut any more. */
  private void fit(int[] widths, int width) {
    if (width <= 0) {
      return;
    }
    while (total(widths) > width) {
      int widest = -1;
      for (int i = 0; i < widths.length; i++) {
        if (cuttable[i] && widths[i] > MIN_CUT_WIDTH && (widest < 0 || widths[i] > widths[widest])) {
          widest = i;
        }
      }
      if (widest < 0) {
        return;
      }
      widths[widest]--;
    }
  }

  private static int total(int[] widths) {
    int sum = GAP.length() * (widths.length - 1);
    for (int w : widths) {
      sum += w;
    }
    return sum;
  }

  private static String line(List<Cell> cells, int[] widths, boolean colour) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      Cell cell = i < cells.size() ? cells.get(i) : new Cell("", null);
      String text = cut(cell.text(), widths[i]);
      boolean last = i == widths.length - 1;
      String padded = last ? text : text + " ".repeat(widths[i] - text.length());
      line.append(colour && cell.colour() != null && !text.isEmpty()
          ? "\u001b[" + cell.colour() + "m" + text + "\u001b[0m" + padded.substring(text.length()) : padded);
      if (!last) {
        line.append(GAP);
      }
    }
    return line.toString().stripTrailing();
  }

  static String cut(String text, int width) {
    return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "\u2026";
  }
}
