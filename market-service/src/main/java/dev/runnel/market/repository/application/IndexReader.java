package dev.runnel.market.repository.application;

import dev.runnel.market.catalog.domain.IndexEntry;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** Reads a Helm {@code index.yaml} as a stream of entry batches, never as a whole tree. */
public interface IndexReader {
  /**
   * Opens the index in {@code file}. Batches are parsed as they are asked for; a structural error
   * surfaces as {@link IndexFormatException} from {@code hasNext}/{@code next}.
   */
  Batches open(Path file, int batchSize);

  /** The entries of an index, batch by batch, and what was skipped so far. */
  interface Batches extends Iterator<List<IndexEntry>>, AutoCloseable {
    int skipped();

    /** The first few reasons for skipping, for the repository's status. */
    List<String> skipReasons();

    @Override
    void close();
  }

  /** The index is not a Helm index at all (not YAML, no entries, wrong shape). */
  final class IndexFormatException extends RuntimeException {
    public IndexFormatException(String message) {
      super(message);
    }
  }
}
