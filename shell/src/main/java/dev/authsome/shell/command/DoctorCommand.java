package dev.authsome.shell.command;

import dev.authsome.core.DoctorReport;
import dev.authsome.shell.App;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code authsome doctor}: health checks; exit 0 healthy, 7 when the vault check fails, 1 otherwise. */
@Command(name = "doctor", description = "Check the home folder, permissions, config, vault and plugins.")
final class DoctorCommand extends Base {
  DoctorCommand(App app) {
    super(app);
  }

  @Override
  public Integer call() {
    DoctorReport report = engine().doctor();
    List<String> issues = new ArrayList<>();
    report.checks().stream().filter(c -> !c.ok()).forEach(c -> c.details().forEach(d -> issues.add(c.name() + ": "
        + d)));
    if (json()) {
      Map<String, Object> checks = new LinkedHashMap<>();
      report.checks().forEach(c -> {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("ok", c.ok());
        one.put("details", c.details());
        checks.put(c.name(), one);
      });
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", report.healthy() ? "healthy" : "unhealthy");
      m.put("checks", checks);
      m.put("providers_count", report.providersCount());
      m.put("issues", issues);
      out().json(m);
    } else {
      report.checks().forEach(c -> {
        out().value(c.name() + ": " + (c.ok() ? "OK" : "FAIL"));
        c.details().forEach(d -> out().value("    " + d));
      });
      out().value("Providers Configured: " + report.providersCount());
      if (!issues.isEmpty()) {
        out().value("Issues found:");
        issues.forEach(i -> out().value("  - " + i));
      }
    }
    return report.exitCode();
  }
}
