package dev.runnel.market.repository.adapter.out.index;

import dev.runnel.market.catalog.domain.IndexEntry;
import dev.runnel.market.repository.application.IndexReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Parses {@code index.yaml} with SnakeYAML's event API: only one entry (one chart version) is ever
 * built as objects at a time, so a 40 MB index costs the memory of a batch, not of a document tree.
 * Aliases are refused (no billion laughs); nesting is bounded. {@link HelmIndexReader} uses it for
 * any index outside the subset of YAML that Helm writes; its results and errors are the reference
 * the faster reader is tested against.
 */
class SnakeYamlIndexReader implements IndexReader {
  private static final int MAX_DEPTH = 32;

  @Override
  public Batches open(Path file, int batchSize) {
    LoaderOptions options = new LoaderOptions();
    // The byte limit is applied while downloading; the parser itself must not cut the stream.
    options.setCodePointLimit(Integer.MAX_VALUE);
    options.setAllowDuplicateKeys(true);
    Reader reader;
    try {
      reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new EventBatches(new Yaml(options).parse(reader).iterator(), reader, batchSize);
  }

  private static final class EventBatches implements Batches {
    private final Iterator<Event> events;
    private final Reader reader;
    private final int batchSize;
    private final EntryTally tally = new EntryTally();
    private boolean started;
    private boolean inEntries;
    private boolean sawEntries;
    private boolean sawApiVersion;
    private boolean done;
    private String chart;
    private List<IndexEntry> pending;

    EventBatches(Iterator<Event> events, Reader reader, int batchSize) {
      this.events = events;
      this.reader = reader;
      this.batchSize = batchSize;
    }

    @Override
    public boolean hasNext() {
      if (pending == null && !done) {
        pending = fill();
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
      return batch;
    }

    @Override
    public int skipped() {
      return tally.skipped();
    }

    @Override
    public List<String> skipReasons() {
      return tally.reasons();
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private List<IndexEntry> fill() {
      try {
        return read();
      } catch (MarkedYAMLException e) {
        throw new IndexFormatException(
            "index.yaml is not valid YAML"
                + at(e.getProblemMark())
                + ": "
                + (e.getProblem() == null ? "unreadable" : e.getProblem()));
      } catch (YAMLException e) {
        throw new IndexFormatException("index.yaml is not valid YAML: " + e.getMessage());
      }
    }

    private static String at(Mark mark) {
      return mark == null
          ? ""
          : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    private List<IndexEntry> read() {
      List<IndexEntry> batch = new ArrayList<>();
      if (!started) {
        start();
      }
      while (batch.size() < batchSize) {
        if (inEntries) {
          if (chart != null) {
            Event e = next(events);
            if (e.is(Event.ID.SequenceEnd)) {
              chart = null;
              continue;
            }
            entry(e, batch);
            continue;
          }
          Event e = next(events);
          if (e.is(Event.ID.MappingEnd)) {
            inEntries = false;
            continue;
          }
          String key = scalarKey(e);
          Event value = next(events);
          if (value instanceof SequenceStartEvent) {
            chart = key;
          } else {
            compose(value, 0);
            tally.skip("'" + key + "' is not a list of versions");
          }
          continue;
        }
        Event e = next(events);
        if (e.is(Event.ID.MappingEnd)) {
          finish();
          break;
        }
        String key = scalarKey(e);
        Event value = next(events);
        if ("entries".equals(key)) {
          if (value instanceof MappingStartEvent) {
            inEntries = true;
            sawEntries = true;
          } else if (value instanceof ScalarEvent s && isNull(s)) {
            sawEntries = true;
          } else {
            throw new IndexFormatException(
                "not a Helm repository index: 'entries' is not a map of charts" + at(e));
          }
        } else if ("apiVersion".equals(key)) {
          Object v = compose(value, 0);
          if (!"v1".equals(v)) {
            throw new IndexFormatException(
                "not a Helm repository index: apiVersion is '" + v + "', expected 'v1'");
          }
          sawApiVersion = true;
        } else {
          compose(value, 0);
        }
      }
      return batch;
    }

    private void start() {
      started = true;
      expect(Event.ID.StreamStart);
      Event e = next(events);
      if (e.is(Event.ID.StreamEnd)) {
        throw new IndexFormatException("not a Helm repository index: index.yaml is empty");
      }
      Event root = next(events);
      if (!(root instanceof MappingStartEvent)) {
        throw new IndexFormatException(
            "not a Helm repository index: index.yaml is not a map with apiVersion and entries"
                + at(root));
      }
    }

    private void finish() {
      done = true;
      if (!sawApiVersion) {
        throw new IndexFormatException("not a Helm repository index: index.yaml has no apiVersion");
      }
      if (!sawEntries) {
        throw new IndexFormatException("not a Helm repository index: index.yaml has no entries");
      }
    }

    private void entry(Event first, List<IndexEntry> batch) {
      tally.entry(chart, compose(first, 1), batch);
    }

    private void expect(Event.ID id) {
      Event e = next(events);
      if (!e.is(id)) {
        throw new IndexFormatException("not a Helm repository index" + at(e));
      }
    }

    private static Event next(Iterator<Event> events) {
      if (!events.hasNext()) {
        throw new IndexFormatException("index.yaml ends in the middle of the document");
      }
      return events.next();
    }

    private static String at(Event e) {
      return at(e.getStartMark());
    }

    private String scalarKey(Event e) {
      if (e instanceof ScalarEvent s) {
        return s.getValue();
      }
      if (e instanceof AliasEvent) {
        throw new IndexFormatException(
            "index.yaml uses YAML aliases, which are not accepted" + at(e));
      }
      // A complex key: read it to stay in step, it never names anything Helm knows.
      return String.valueOf(compose(e, 0));
    }

    /** Builds the node starting at {@code first} as plain Java values. */
    private Object compose(Event first, int depth) {
      if (depth > MAX_DEPTH) {
        throw new IndexFormatException(
            "index.yaml nests deeper than " + MAX_DEPTH + " levels" + at(first));
      }
      if (first instanceof ScalarEvent s) {
        return scalar(s);
      }
      if (first instanceof AliasEvent) {
        throw new IndexFormatException(
            "index.yaml uses YAML aliases, which are not accepted" + at(first));
      }
      if (first instanceof SequenceStartEvent) {
        List<Object> list = new ArrayList<>();
        for (Event e = next(events); !e.is(Event.ID.SequenceEnd); e = next(events)) {
          list.add(compose(e, depth + 1));
        }
        return list;
      }
      if (first instanceof MappingStartEvent) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Event e = next(events); !e.is(Event.ID.MappingEnd); e = next(events)) {
          String key = scalarKey(e);
          map.put(key, compose(next(events), depth + 1));
        }
        return map;
      }
      throw new IndexFormatException(
          "index.yaml has an unexpected " + first.getEventId() + at(first));
    }

    private static boolean isNull(ScalarEvent s) {
      return s.getImplicit().canOmitTagInPlainScalar()
          && (s.getValue().isEmpty() || "null".equals(s.getValue()) || "~".equals(s.getValue()));
    }

    /** Plain booleans and nulls keep their type (Helm's {@code deprecated}); the rest is text. */
    private static Object scalar(ScalarEvent s) {
      if (s.getImplicit().canOmitTagInPlainScalar()) {
        String v = s.getValue();
        if (isNull(s)) {
          return null;
        }
        if ("true".equals(v) || "True".equals(v) || "TRUE".equals(v)) {
          return Boolean.TRUE;
        }
        if ("false".equals(v) || "False".equals(v) || "FALSE".equals(v)) {
          return Boolean.FALSE;
        }
      }
      return s.getValue();
    }
  }
}
