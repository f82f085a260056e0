package dev.authsome.vault.file;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process-wide table of lock files. A {@link FileLock} belongs to the whole JVM, is refused
 * ({@code OverlappingFileLockException}) to a second channel of the same JVM, and is silently released when any
 * channel to the file is closed. So every lock file gets exactly one entry per process, shared by every vault
 * instance that uses it: one channel, held open while any instance uses it, and a {@link ReentrantLock} that orders
 * the threads of this JVM before one of them takes the cross-process {@link FileLock}.
 */
final class ProcessLocks {

  private static final Map<Path, Entry> ENTRIES = new HashMap<>();

  private ProcessLocks() {
  }

  /** The entry of {@code lockFile}, counted as used until {@link #release(Entry)}. Does no I/O. */
  static Entry acquire(Path lockFile) {
    Path path = lockFile.toAbsolutePath().normalize();
    synchronized (ENTRIES) {
      Entry entry = ENTRIES.computeIfAbsent(path, Entry::new);
      entry.users++;
      return entry;
    }
  }

  /** Stops using {@code entry}; the last user closes its channel, unless a thread still holds it. */
  static void release(Entry entry) {
    synchronized (ENTRIES) {
      if (--entry.users > 0 || !entry.threadLock.tryLock()) {
        // A thread that still holds the lock keeps the entry (and its FileLock) alive; the next acquire reuses it.
        return;
      }
      try {
        if (entry.threadLock.getHoldCount() == 1) {
          ENTRIES.remove(entry.file);
          entry.closeChannel();
        }
      } finally {
        entry.threadLock.unlock();
      }
    }
  }

  /** One lock file of this process. */
  static final class Entry {
    final Path file;
    final ReentrantLock threadLock = new ReentrantLock();
    private int users; // guarded by ENTRIES
    private FileChannel channel; // guarded by threadLock
    private FileLock fileLock; // guarded by threadLock

    private Entry(Path file) {
      this.file = file;
    }

    /**
     * Blocks until this thread holds the lock in this JVM and across processes. Reentrant: only the outermost
     * {@code lock} takes the {@link FileLock}.
     *
     * @throws IOException when the lock file cannot be created or locked; the thread then holds nothing
     */
    void lock() throws IOException {
      threadLock.lock();
      if (threadLock.getHoldCount() > 1) {
        return;
      }
      try {
        fileLock = openChannel().lock();
      } catch (ClosedChannelException e) {
        // An interrupt while waiting closes the channel (FileChannel is interruptible); reopen on the next lock.
        channel = null;
        threadLock.unlock();
        throw e;
      } catch (IOException | RuntimeException | Error e) {
        threadLock.unlock();
        throw e;
      }
    }

    /** Releases one hold; the outermost releases the {@link FileLock}. Must run on the thread that locked. */
    void unlock() {
      try {
        if (threadLock.getHoldCount() == 1 && fileLock != null) {
          try {
            fileLock.release();
          } catch (IOException e) {
            // The channel is gone, and with it the lock: nothing is left to release.
          }
          fileLock = null;
        }
      } finally {
        threadLock.unlock();
      }
    }

    private FileChannel openChannel() throws IOException {
      if (channel == null || !channel.isOpen()) {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        VaultFiles.makePrivate(file);
      }
      return channel;
    }

    private void closeChannel() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // Closing a lock file's channel has nothing to flush; a failure leaves nothing to clean up.
        }
        channel = null;
      }
    }
  }
}
