package dev.authsome.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CanonicalInstantTest {

  @Test
  void readsWhatInstantToStringWrites_exactlyAsInstantParse() {
    SplittableRandom random = new SplittableRandom(20261206);
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      long seconds = random.nextLong(0, max);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      String text = Instant.ofEpochSecond(seconds, nanos).toString();
      assertThat(CanonicalInstant.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void leavesEverythingElseToInstantParse() {
    for (String other : List.of("2026-12-06T12:14:11+01:00", "2026-12-06T12:14Z", "2026-12-06T12:14:11.1234Z",
        "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-06t12:14:11Z", "2026-12-06T24:00:00Z",
        "+12026-12-06T12:14:11Z", "-0001-12-06T12:14:11Z", "2026-12-06T12:14:60Z", "2026-12-06T12:14:11.Z",
        "2026-12-06T12:14:11.12a456Z", "2026-12-06 12:14:11Z", "", "x", "2026-12-06T12:14:11.123456789012Z",
        "2026-\u0661\u0662-06T12:14:11Z")) {
      assertThat(CanonicalInstant.parse(other)).as(other).isNull();
    }
    // and where Instant.parse reads one of those, the codec still gets its answer through the fallback
    assertThat(Instant.parse("2026-12-06T12:14:11.1234Z")).isEqualTo("2026-12-06T12:14:11.123400Z");
  }

  @Test
  void leapDays_andTheEdgesOfTheRange() {
    for (String text : List.of("2024-02-29T00:00:00Z", "2000-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.000001Z")) {
      assertThat(CanonicalInstant.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
    assertThat(CanonicalInstant.parse("2023-02-29T00:00:00Z")).isNull();
    try {
      Instant.parse("2023-02-29T00:00:00Z");
    } catch (DateTimeParseException expected) {
      return; // both refuse it; the codec then reports the record as damaged
    }
    throw new AssertionError("Instant.parse accepted 2023-02-29");
  }
}
