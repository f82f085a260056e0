package dev.authsome.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints, at the end of the build, every test that this build skipped and why, so that nobody mistakes a skipped
 * suite for a pass: the skip reasons otherwise live only in report files. Run by dist/pom.xml after the end-to-end
 * tests (before failsafe fails the build on a failure), over the surefire and failsafe reports of every module that
 * this build wrote (older reports of modules it did not build are left out).
 *
 * <p>Arguments: the reactor root, and the build's start ({@code maven.build.timestamp}, ISO-8601 UTC).
 */
public final class SkippedSuites {
  private SkippedSuites() {
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Instant since = args.length > 1 ? parse(args[1]) : Instant.EPOCH;
    // suite (module: class) -> reason -> number of tests skipped for it
    Map<String, Map<String, Integer>> skipped = new TreeMap<>();
    int suites = 0;
    for (Path report : reports(root, since)) {
      suites++;
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
      String module = root.relativize(report.getParent().getParent().getParent()).toString();
      NodeList cases = doc.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        Element testcase = (Element) cases.item(i);
        NodeList skips = testcase.getElementsByTagName("skipped");
        if (skips.getLength() == 0) {
          continue;
        }
        Element skip = (Element) skips.item(0);
        String reason = skip.getAttribute("message");
        if (reason.isBlank()) {
          // surefire writes an aborted assumption's text as the element's content ("…TestAbortedException: why")
          String text = skip.getTextContent().strip().lines().findFirst().orElse("");
          reason = text.replaceFirst("^[\\w.$]+(Exception|Error): ", "");
        }
        reason = reason.isBlank() ? "(no reason given)" : reason.replaceFirst("^Assumption failed: ", "").strip();
        String suite = (module.isEmpty() ? "" : module + ": ") + simpleName(testcase.getAttribute("classname"));
        skipped.computeIfAbsent(suite, s -> new TreeMap<>()).merge(reason, 1, Integer::sum);
      }
    }
    System.out.println();
    if (skipped.isEmpty()) {
      System.out.println("[authsome] no test was skipped (" + suites + " test suites reported by this build)");
      return;
    }
    System.out.println("[authsome] SKIPPED TESTS: these did not run, so they prove nothing in this build"
        + " (AUTHSOME_TEST_REQUIRE_ALL=1 makes them fail instead):");
    skipped.forEach((suite, reasons) -> reasons.forEach((reason, count) -> System.out.println("[authsome]   "
        + suite + " (" + count + " test" + (count == 1 ? "" : "s") + "): " + oneLine(reason))));
    System.out.println();
  }

  private static Instant parse(String timestamp) {
    try {
      return Instant.parse(timestamp);
    } catch (RuntimeException e) {
      return Instant.EPOCH; // an unexpected format lists old reports too, which is the safe direction
    }
  }

  private static List<Path> reports(Path root, Instant since) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root, 6)) {
      for (Path p : walk.filter(p -> {
        String dir = p.getParent() == null ? "" : p.getParent().getFileName().toString();
        String name = p.getFileName().toString();
        return (dir.equals("surefire-reports") || dir.equals("failsafe-reports")) && name.startsWith("TEST-")
            && name.endsWith(".xml") && !p.toString().contains("node_modules");
      }).sorted().toList()) {
        if (!Files.getLastModifiedTime(p).toInstant().isBefore(since)) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static String oneLine(String s) {
    String line = s.replaceAll("\\s+", " ");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
