package io.leadloop.common.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent pieces of driver work (each submitting its own Spark jobs, e.g. writes of
 * different Delta tables) on a few threads of the driver, and waits for all of them. On 2 cores a
 * single Delta write leaves a core idle while the driver plans, commits, and runs the last task of
 * a stage; a second write fills those gaps. Results do not depend on the order: each piece writes
 * its own table.
 *
 * <p>Every piece is started; the first failure (in the order given) is rethrown once all have
 * ended, so no write is still running when the caller handles it.
 */
public final class Concurrently {
  /** Threads used by {@link #run(List)}: two pieces at a time fill the gaps of the other. */
  public static final int DEFAULT_THREADS = 2;

  private Concurrently() {}

  public static void run(List<Runnable> pieces) {
    run(pieces, DEFAULT_THREADS);
  }

  public static void run(List<Runnable> pieces, int threads) {
    if (pieces.size() <= 1 || threads <= 1) {
      pieces.forEach(Runnable::run);
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, pieces.size()),
            r -> {
              Thread t = new Thread(r, "leadloop-concurrent");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      pieces.forEach(p -> futures.add(pool.submit(p)));
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Cannot wait for concurrent work: interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
