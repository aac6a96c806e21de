package dev.runnel.market.repository.adapter.out.index;

import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.IndexReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.stereotype.Component;

/**
 * Reads {@code index.yaml} with {@link HelmIndexScanner} (the subset of YAML Helm writes) and falls
 * back to {@link SnakeYamlIndexReader} for the whole file as soon as the scanner meets anything
 * outside that subset, malformed input included, so every error message is SnakeYAML's as before.
 *
 * <p>The fallback may come after batches were handed out (the sync inserts each batch as it
 * arrives, inside its transaction). It is still safe because both readers yield the same entries in
 * the same order for the part of the file the scanner read: SnakeYAML starts again from the
 * beginning, and as many entries as were already handed out are dropped. Their names and versions
 * are checked against what was handed out, so a difference between the readers fails the sync (and
 * rolls it back) instead of storing a mixed catalog. A check of the whole file before the first
 * batch would have cost a second pass over every index for the sake of a rare case.
 */
@Component
class HelmIndexReader implements IndexReader {

  private final SnakeYamlIndexReader fallback = new SnakeYamlIndexReader();

  @Override
  public Batches open(Path file, int batchSize) {
    InputStream in;
    try {
      in = Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ScannedBatches(file, in, batchSize);
  }

  final class ScannedBatches implements Batches {
    private final Path file;
    private final int batchSize;
    private final EntryTally tally = new EntryTally();
    private HelmIndexScanner scanner;
    private boolean done;
    private List<IndexEntry> pending;
    // What was handed out before a fallback: how many entries and a hash of their names/versions.
    private long handedOut;
    private long handedOutHash;
    private Batches snake;
    private long toDrop;
    private long droppedHash;

    ScannedBatches(Path file, InputStream in, int batchSize) {
      this.file = file;
      this.batchSize = batchSize;
      this.scanner = new HelmIndexScanner(in);
    }

    @Override
    public boolean hasNext() {
      if (pending == null && !done) {
        pending = snake == null ? scan() : fromSnakeYaml();
        if (pending == null) {
          done = true;
        }
      }
      return pending != null && !pending.isEmpty();
    }

    @Override
    public List<IndexEntry> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      List<IndexEntry> batch = pending;
      pending = null;
      if (snake == null) {
        for (IndexEntry e : batch) {
          handedOutHash = hash(handedOutHash, e);
        }
        handedOut += batch.size();
      }
      return batch;
    }

    /** Whether the file is being read by SnakeYAML (for tests: the scanner must not give up). */
    boolean fellBack() {
      return snake != null;
    }

    @Override
    public int skipped() {
      return snake == null ? tally.skipped() : snake.skipped();
    }

    @Override
    public List<String> skipReasons() {
      return snake == null ? tally.reasons() : snake.skipReasons();
    }

    @Override
    public void close() {
      try {
        if (scanner != null) {
          scanner.close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        if (snake != null) {
          snake.close();
        }
      }
    }

    /** The next batch from the scanner, or from SnakeYAML once the scanner gives up. */
    private List<IndexEntry> scan() {
      List<IndexEntry> batch = new ArrayList<>();
      try {
        while (batch.size() < batchSize) {
          HelmIndexScanner.Item item = scanner.next();
          if (item == HelmIndexScanner.Item.END) {
            if (!scanner.sawApiVersion()) {
              throw new IndexFormatException(
                  "not a Helm repository index: index.yaml has no apiVersion");
            }
            if (!scanner.sawEntries()) {
              throw new IndexFormatException(
                  "not a Helm repository index: index.yaml has no entries");
            }
            return batch.isEmpty() ? null : batch;
          }
          if (item == HelmIndexScanner.Item.NOT_A_LIST) {
            tally.skip("'" + scanner.chart() + "' is not a list of versions");
          } else {
            entry(scanner.chart(), scanner.entry(), batch);
          }
        }
        return batch;
      } catch (HelmIndexScanner.OutsideSubset e) {
        fallBack();
        return fromSnakeYaml();
      } catch (IOException e) {
        // SnakeYAML reads the same file again and reports a failing read its own way.
        fallBack();
        return fromSnakeYaml();
      }
    }

    private void fallBack() {
      try {
        scanner.close();
      } catch (IOException e) {
        // Only the scanner's handle; SnakeYAML opens its own.
      }
      scanner = null;
      toDrop = handedOut;
      snake = fallback.open(file, batchSize);
    }

    /** SnakeYAML's next batch, without the entries the scanner already handed out. */
    private List<IndexEntry> fromSnakeYaml() {
      while (snake.hasNext()) {
        List<IndexEntry> batch = snake.next();
        if (toDrop == 0) {
          return batch;
        }
        int drop = (int) Math.min(toDrop, batch.size());
        for (int i = 0; i < drop; i++) {
          droppedHash = hash(droppedHash, batch.get(i));
        }
        toDrop -= drop;
        if (toDrop == 0) {
          checkSamePrefix();
        }
        if (drop < batch.size()) {
          return new ArrayList<>(batch.subList(drop, batch.size()));
        }
      }
      if (toDrop > 0) {
        throw new IndexFormatException(
            "index.yaml was read differently on a second reading: " + toDrop + " entries fewer");
      }
      return null;
    }

    private void checkSamePrefix() {
      if (droppedHash != handedOutHash) {
        throw new IndexFormatException(
            "index.yaml was read differently on a second reading (entries before "
                + handedOut
                + ")");
      }
    }

    private static long hash(long h, IndexEntry e) {
      return (h * 31 + e.name().hashCode()) * 1_000_003L + e.version().hashCode();
    }

    private void entry(String chart, Object raw, List<IndexEntry> batch) {
      tally.entry(chart, raw, batch);
    }
  }
}
