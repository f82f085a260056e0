package dev.authsome.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of {@code doctor}: named checks, then the exit code they imply (0 healthy, 7 when a vault check failed,
 * 1 otherwise).
 */
public record DoctorReport(List<Check> checks, int providersCount) {
  public DoctorReport {
    checks = List.copyOf(checks);
  }

  /** 0 when every check passed, 7 when the vault check failed, else 1. */
  public int exitCode() {
    if (checks.stream().anyMatch(c -> !c.ok() && c.name().equals(Check.VAULT))) {
      return ErrorCode.VAULT_UNAVAILABLE.exitCode();
    }
    return checks.stream().allMatch(Check::ok) ? 0 : 1;
  }

  public boolean healthy() {
    return exitCode() == 0;
  }

  /**
   * One check.
   *
   * @param name {@code home}, {@code permissions}, {@code config}, {@code vault}, {@code plugins},
   *     {@code python_files}
   * @param details one line each: what was found, and for a failure what to do
   */
  public record Check(String name, boolean ok, List<String> details) {
    public static final String VAULT = "vault";

    public Check {
      requireNonNull(name, "name");
      details = List.copyOf(details);
    }
  }
}
