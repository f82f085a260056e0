package dev.authsome.proxy.engine;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Makes Netty's leak detector (at {@code paranoid}: every buffer is tracked) fail tests instead of writing to a log
 * nobody reads: its reports are caught, and {@link #leaks()} collects them after forcing the collection that reveals
 * them. Must be touched before Netty logs anything.
 */
final class LeakWatch {
  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
  // strong reference: java.util.logging holds loggers weakly
  private static final Logger DETECTOR_LOG;

  static {
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    DETECTOR_LOG = Logger.getLogger(ResourceLeakDetector.class.getName());
    DETECTOR_LOG.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getMessage() != null && r.getMessage().contains("LEAK")) {
          REPORTS.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
  }

  private LeakWatch() {
  }

  static void install() {
    // the static initialiser does the work
  }

  /** Collects garbage, lets the detector look at what was collected, and returns (and forgets) every leak it reported. */
  static List<String> leaks() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      for (int j = 0; j < 200; j++) {
        ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
        probe.release();
      }
    }
    List<String> found = List.copyOf(REPORTS);
    REPORTS.removeAll(found); // each report is counted once, by the test class that collected it
    return found;
  }
}
