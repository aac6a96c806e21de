package dev.runnel.market.repository.adapter.out.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the subset of YAML that Helm writes for {@code index.yaml} straight from the file's bytes:
 * block mappings and sequences, plain scalars on one line, quoted scalars (also wrapped over lines,
 * as Helm's YAML library wraps long strings), literal and folded block scalars, comments, {@code
 * []} and {@code {}}. SnakeYAML's scanner and parser cost more CPU than anything else in a sync,
 * and on a freshly started service most of that is the JIT compiling them; this reader is a few
 * small loops over a byte buffer.
 *
 * <p>It never guesses. Anything else (flow collections, anchors, aliases, tags, directives,
 * multi-line plain scalars, quoted keys over lines, tabs, CR line ends, control characters, invalid
 * UTF-8, keys SnakeYAML would not take as simple keys, nesting deeper than the reader's bound) and
 * anything malformed throws {@link OutsideSubset}, and the caller reads the file with SnakeYAML
 * instead, which gives the same values or the same error as before. The values it builds are the
 * ones {@code SnakeYamlIndexReader} composes: strings, {@code Boolean} for plain booleans, null for
 * plain nulls, {@code ArrayList} and {@code LinkedHashMap} (a repeated key keeps its first position
 * and its last value).
 *
 * <p>Memory: one line at a time in a buffer (grown for a long line, up to {@link #MAX_LINE}; a
 * longer line is left to SnakeYAML), plus the entry being built.
 */
final class HelmIndexScanner implements AutoCloseable {
  static final int MAX_DEPTH = 32;
  static final int MAX_LINE = 4 << 20;
  // SnakeYAML gives up on a simple key longer than 1024 characters; stay well inside that.
  private static final int MAX_KEY = 1000;
  private static final int END = -1;

  /** The input is outside the subset (or malformed): read it with SnakeYAML instead. */
  static final class OutsideSubset extends RuntimeException {
    OutsideSubset(String why) {
      super(why, null, false, false);
    }
  }

  /** What {@link #next} found. */
  enum Item {
    /** A version of {@link #chart()}: {@link #entry()} is its raw value. */
    ENTRY,
    /** {@link #chart()}'s value is not a list; it was read and dropped. */
    NOT_A_LIST,
    /** The end of the document: {@link #sawApiVersion()} and {@link #sawEntries()} are final. */
    END
  }

  private enum State {
    START,
    ROOT,
    ENTRIES,
    CHART,
    DONE
  }

  private final InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int limit;
  private boolean eof;
  // The current line is buf[lineStart, eol); eol is the index of its '\n' or limit at the end.
  private int lineStart;
  private int eol;
  private boolean noLine;
  private int scanned;
  private int pos;
  // The indentation of the current significant line, or END.
  private int indent;

  private State state = State.START;
  private int entriesColumn;
  private int chartColumn;
  private boolean chartIndentless;
  private String chartName;
  private String chart;
  private Object entry;
  private boolean sawApiVersion;
  private boolean sawEntries;

  HelmIndexScanner(InputStream in) {
    this.in = in;
  }

  String chart() {
    return chart;
  }

  Object entry() {
    return entry;
  }

  boolean sawApiVersion() {
    return sawApiVersion;
  }

  boolean sawEntries() {
    return sawEntries;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Reads up to the next entry, chart that is not a list, or the end of the document. */
  Item next() throws IOException {
    while (true) {
      switch (state) {
        case START -> start();
        case ROOT -> {
          if (indent == END) {
            state = State.DONE;
            return Item.END;
          }
          if (indent != 0) {
            throw new OutsideSubset("a root key is indented");
          }
          rootKey();
        }
        case ENTRIES -> {
          if (indent < entriesColumn) {
            state = State.ROOT;
          } else if (indent > entriesColumn) {
            throw new OutsideSubset("a chart is indented more than the others");
          } else if (chartKey()) {
            return Item.NOT_A_LIST;
          }
        }
        case CHART -> {
          if (indent == chartColumn && dash()) {
            pos++;
            chart = chartName;
            entry = sequenceItem(chartColumn, 1);
            return Item.ENTRY;
          }
          if (indent > chartColumn || (indent == chartColumn && !chartIndentless)) {
            throw new OutsideSubset("a line in a chart's list of versions is not an item");
          }
          state = State.ENTRIES;
        }
        case DONE -> {
          return Item.END;
        }
      }
    }
  }

  private void start() throws IOException {
    if (!loadLine(0)) {
      throw new OutsideSubset("empty");
    }
    significant(true);
    if (indent == END && !noLine && startsWith("---")) {
      pos += 3;
      endOfLine();
      significant(false);
    }
    if (indent != 0) {
      throw new OutsideSubset("not a map at column 1");
    }
    byte c = buf[pos];
    if (c == '%' || c == '-' || c == '[' || c == '{') {
      throw new OutsideSubset("not a block map");
    }
    state = State.ROOT;
  }

  private void rootKey() throws IOException {
    String key = key();
    if ("entries".equals(key)) {
      sawEntries = true;
      int at = pos;
      skipSpaces();
      if (pos == eol || buf[pos] == '#') {
        significant(false);
        if (indent > 0 && !dash()) {
          entriesColumn = indent;
          state = State.ENTRIES;
          return;
        }
        if (indent > 0 || (indent == 0 && dash())) {
          throw new OutsideSubset("entries is not a map");
        }
        return; // an empty value: a null scalar, entries without charts
      }
      if (emptyFlow('{')) {
        endOfLine();
        significant(false);
        return;
      }
      pos = at;
      Object v = value(0, 0);
      if (v != null) {
        throw new OutsideSubset("entries is not a map");
      }
      return;
    }
    Object v = value(0, 0);
    if ("apiVersion".equals(key)) {
      if (!"v1".equals(v)) {
        throw new OutsideSubset("apiVersion is not v1");
      }
      sawApiVersion = true;
    }
  }

  /** Reads a chart's key under entries; true when its value is not a list (and was dropped). */
  private boolean chartKey() throws IOException {
    String key = key();
    int at = pos;
    skipSpaces();
    if (pos == eol || buf[pos] == '#') {
      significant(false);
      if (indent > entriesColumn && dash()) {
        chartName = key;
        chartColumn = indent;
        chartIndentless = false;
        state = State.CHART;
        return false;
      }
      if (indent == entriesColumn && dash()) {
        chartName = key;
        chartColumn = indent;
        chartIndentless = true;
        state = State.CHART;
        return false;
      }
      if (indent > entriesColumn) {
        // A map or something else under the chart: read it to stay in step, then drop it.
        block(entriesColumn, 0);
      }
      chart = key;
      return true;
    }
    if (emptyFlow('[')) {
      // An empty list of versions: nothing to read, nothing to skip.
      endOfLine();
      significant(false);
      return false;
    }
    pos = at;
    value(entriesColumn, 0);
    chart = key;
    return true;
  }

  // ---------------------------------------------------------------- nodes

  /**
   * The value after {@code key:} of a mapping whose keys are at {@code column}; returns positioned
   * on the next significant line.
   */
  private Object value(int column, int depth) throws IOException {
    depth(depth);
    skipSpaces();
    if (pos == eol || buf[pos] == '#') {
      significant(false);
      if (indent > column) {
        return block(column, depth);
      }
      if (indent == column && indent != END && dash()) {
        return sequence(indent, depth, true);
      }
      return null;
    }
    return inline(column, depth, false);
  }

  /** The item after {@code -} of a sequence at {@code column}. */
  private Object sequenceItem(int column, int depth) throws IOException {
    depth(depth);
    if (pos < eol && buf[pos] != ' ') {
      throw new OutsideSubset("'-' not followed by a space");
    }
    skipSpaces();
    if (pos == eol || buf[pos] == '#') {
      significant(false);
      if (indent > column) {
        return block(column, depth);
      }
      return null;
    }
    return inline(column, depth, true);
  }

  /** A mapping or sequence on the lines below a key or item of a collection at {@code column}. */
  private Object block(int column, int depth) throws IOException {
    if (dash()) {
      return sequence(indent, depth, false);
    }
    return mapping(indent, depth);
  }

  private Object inline(int column, int depth, boolean item) throws IOException {
    byte c = buf[pos];
    switch (c) {
      case '"', '\'' -> {
        int start = pos;
        int line = lineStart;
        String s = quoted(column);
        if (item && keyFollows()) {
          if (line != lineStart) {
            throw new OutsideSubset("a quoted key over more than one line");
          }
          pos = start;
          return mapping(pos - lineStart, depth);
        }
        endOfLine();
        afterScalar(column);
        return s;
      }
      case '|', '>' -> {
        return blockScalar(column);
      }
      case '[', '{' -> {
        if (emptyFlow((char) c)) {
          endOfLine();
          significant(false);
          return c == '[' ? new ArrayList<>() : new LinkedHashMap<String, Object>();
        }
        throw new OutsideSubset("a flow collection");
      }
      case '&', '*', '!', '%', '@', '`', ',', ']', '}', '#' ->
          throw new OutsideSubset("an anchor, alias, tag or reserved indicator");
      case '-', '?', ':' -> {
        if (blankOrEnd(pos + 1)) {
          throw new OutsideSubset("a nested sequence, complex key or empty key on one line");
        }
      }
      default -> {}
    }
    int start = pos;
    int end = plainEnd();
    if (end < eol && buf[end] == ':') {
      if (!item) {
        throw new OutsideSubset("a mapping value on the line of a key");
      }
      return mapping(start - lineStart, depth);
    }
    pos = end;
    Object v = plain(start, trimEnd(start, end));
    endOfLine();
    afterScalar(column);
    return v;
  }

  /** A block mapping whose keys are at {@code column}, starting on the current position. */
  private Map<String, Object> mapping(int column, int depth) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      String key = key();
      map.put(key, value(column, depth + 1));
      if (indent == column) {
        if (dash()) {
          throw new OutsideSubset("a sequence item where a key was expected");
        }
        continue;
      }
      if (indent > column) {
        throw new OutsideSubset("a line indented more than its map's keys");
      }
      return map;
    }
  }

  /** A block sequence whose dashes are at {@code column}, starting on the first dash. */
  private List<Object> sequence(int column, int depth, boolean indentless) throws IOException {
    List<Object> list = new ArrayList<>();
    while (true) {
      pos++;
      list.add(sequenceItem(column, depth + 1));
      if (indent == column && dash()) {
        continue;
      }
      if (indent > column || (indent == column && !indentless)) {
        throw new OutsideSubset("a line in a sequence is not an item");
      }
      return list;
    }
  }

  /**
   * After a scalar on its own line: SnakeYAML would continue a plain scalar onto a more indented
   * line, and anything else more indented is an error; neither is guessed at.
   */
  private void afterScalar(int column) throws IOException {
    significant(false);
    if (indent > column) {
      throw new OutsideSubset("a line more indented than the scalar before it");
    }
  }

  private static void depth(int depth) {
    if (depth > MAX_DEPTH) {
      throw new OutsideSubset("too deep");
    }
  }

  // ---------------------------------------------------------------- scalars

  /** A key at the current position up to and including its {@code :}. */
  private String key() throws IOException {
    int start = pos;
    byte c = buf[pos];
    String key;
    if (c == '"' || c == '\'') {
      key = quoted(-1);
      skipSpaces();
      if (pos == eol || buf[pos] != ':' || !blankOrEnd(pos + 1)) {
        throw new OutsideSubset("a quoted scalar where a key was expected");
      }
    } else {
      switch (c) {
        case '&', '*', '!', '%', '@', '`', ',', '[', ']', '{', '}', '#', '|', '>' ->
            throw new OutsideSubset("a key that is not a plain or quoted scalar");
        case '-', '?', ':' -> {
          if (blankOrEnd(pos + 1)) {
            throw new OutsideSubset(
                "a sequence, complex key or empty key where a key was expected");
          }
        }
        default -> {}
      }
      int end = plainEnd();
      if (end == eol || buf[end] != ':') {
        throw new OutsideSubset("a line without a key");
      }
      key = text(start, trimEnd(start, end));
      pos = end;
    }
    if (pos - start > MAX_KEY) {
      throw new OutsideSubset("a long key");
    }
    pos++; // the ':'
    return key;
  }

  /** After a quoted scalar in a sequence item: is it the key of a compact mapping? */
  private boolean keyFollows() {
    int p = pos;
    while (p < eol && buf[p] == ' ') {
      p++;
    }
    return p < eol && buf[p] == ':' && blankOrEnd(p + 1);
  }

  /**
   * Where a plain scalar starting at {@code pos} ends on this line: at {@code ": "} (or {@code :}
   * at the end of the line), at {@code " #"}, or at the end of the line.
   */
  private int plainEnd() {
    byte[] b = buf;
    int e = eol;
    for (int i = pos; i < e; i++) {
      byte c = b[i];
      if (c == ':') {
        if (i + 1 == e || b[i + 1] == ' ') {
          return i;
        }
      } else if (c == '#' && b[i - 1] == ' ') {
        return i;
      }
    }
    return e;
  }

  private int trimEnd(int start, int end) {
    while (end > start && buf[end - 1] == ' ') {
      end--;
    }
    return end;
  }

  /** A plain scalar as the SnakeYAML reader turns it into a value. */
  private Object plain(int start, int end) {
    int n = end - start;
    byte c = buf[start];
    if (n == 1 && c == '~') {
      return null;
    }
    if (n == 4 && c == 'n' && match(start, "null")) {
      return null;
    }
    if (n == 4 && (c == 't' || c == 'T') && (match(start, "true") || match(start, "True"))
        || n == 4 && match(start, "TRUE")) {
      return Boolean.TRUE;
    }
    if (n == 5 && (match(start, "false") || match(start, "False") || match(start, "FALSE"))) {
      return Boolean.FALSE;
    }
    return text(start, end);
  }

  private boolean match(int at, String word) {
    for (int i = 0; i < word.length(); i++) {
      if (buf[at + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String text(int start, int end) {
    return new String(buf, start, end - start, StandardCharsets.UTF_8);
  }

  /**
   * A single- or double-quoted scalar starting at {@code pos}, with YAML's escapes in double
   * quotes; pos ends after the closing quote. {@code column} is that of the collection the scalar
   * is in; with {@code column} at least 0, the scalar may go on over lines more indented than that,
   * folded as SnakeYAML folds them (Helm's YAML library wraps long double-quoted strings, ending a
   * line with {@code \} and starting the next with {@code \ }).
   */
  private String quoted(int column) throws IOException {
    byte quote = buf[pos];
    boolean dbl = quote == '"';
    int p = pos + 1;
    StringBuilder out = null;
    int from = p;
    while (true) {
      if (p >= eol) {
        // A line break inside the scalar: trailing spaces dropped, the break folded to a space
        // (or to the empty lines after it).
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(text(from, trimEnd(from, p)));
        int breaks = continuation(column);
        if (breaks == 0) {
          out.append(' ');
        } else {
          newlines(out, breaks);
        }
        p = pos;
        from = p;
        continue;
      }
      byte c = buf[p];
      if (c == quote) {
        if (!dbl && p + 1 < eol && buf[p + 1] == '\'') {
          if (out == null) {
            out = new StringBuilder();
          }
          out.append(text(from, p + 1));
          p += 2;
          from = p;
          continue;
        }
        break;
      }
      if (c != '\\' || !dbl) {
        p++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder();
      }
      out.append(text(from, p));
      if (p + 1 >= eol) {
        // An escaped line break: nothing of it stays, nor the next line's indentation.
        newlines(out, continuation(column));
        p = pos;
        from = p;
        continue;
      }
      byte e = buf[p + 1];
      p += 2;
      switch (e) {
        case '0' -> out.append('\0');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'v' -> out.append('\u000B');
        case 'f' -> out.append('\f');
        case 'r' -> out.append('\r');
        case 'e' -> out.append('\u001B');
        case ' ' -> out.append(' ');
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case 'N' -> out.append('\u0085');
        case '_' -> out.append('\u00A0');
        case 'L' -> out.append('\u2028');
        case 'P' -> out.append('\u2029');
        case 'x' -> {
          out.append((char) hex(p, 2));
          p += 2;
        }
        case 'u' -> {
          out.append((char) hex(p, 4));
          p += 4;
        }
        case 'U' -> {
          int cp = hex(p, 8);
          if (cp > Character.MAX_CODE_POINT) {
            throw new OutsideSubset("an escape beyond Unicode");
          }
          out.appendCodePoint(cp);
          p += 8;
        }
        default -> throw new OutsideSubset("an unknown escape");
      }
      from = p;
    }
    pos = p + 1;
    if (out == null) {
      return text(from, p);
    }
    return out.append(text(from, p)).toString();
  }

  /**
   * Moves to the line where a quoted scalar goes on, past its indentation; returns how many empty
   * lines were passed. The end of the file or a line not indented more than {@code column} (a
   * document marker among them) is left to SnakeYAML.
   */
  private int continuation(int column) throws IOException {
    if (column < 0) {
      throw new OutsideSubset("a quoted key over more than one line");
    }
    int breaks = 0;
    while (true) {
      if (eol == limit || !nextLine()) {
        throw new OutsideSubset("a quoted scalar not closed");
      }
      int spaces = leadingSpaces();
      if (lineStart + spaces < eol) {
        pos = lineStart + spaces;
        if (spaces <= column) {
          throw new OutsideSubset("a quoted scalar going on at a lesser indentation");
        }
        return breaks;
      }
      breaks++;
    }
  }

  private int hex(int at, int digits) {
    if (at + digits > eol) {
      throw new OutsideSubset("a short escape");
    }
    long v = 0;
    for (int i = at; i < at + digits; i++) {
      int d = Character.digit(buf[i], 16);
      if (d < 0) {
        throw new OutsideSubset("a bad escape");
      }
      v = v * 16 + d;
    }
    if (v > Integer.MAX_VALUE) {
      throw new OutsideSubset("an escape beyond Unicode");
    }
    return (int) v;
  }

  /**
   * A literal ({@code |}) or folded ({@code >}) block scalar, with chomping as SnakeYAML applies
   * it: the indentation is that of the first non-empty line (at least one more than the
   * collection's), clip keeps one final line break, strip none, keep all trailing ones; folding
   * joins lines that start with no space with one space, or with the empty lines between them.
   */
  private String blockScalar(int column) throws IOException {
    boolean folded = buf[pos] == '>';
    pos++;
    int chomp = 0; // -1 strip, 0 clip, 1 keep
    if (pos < eol && (buf[pos] == '-' || buf[pos] == '+')) {
      chomp = buf[pos] == '-' ? -1 : 1;
      pos++;
    }
    if (pos < eol && buf[pos] >= '0' && buf[pos] <= '9') {
      throw new OutsideSubset("an indentation indicator");
    }
    skipSpaces();
    if (pos < eol && buf[pos] != '#') {
      throw new OutsideSubset("text after a block scalar's indicator");
    }
    if (eol == limit) {
      throw new OutsideSubset("a block scalar's indicator on the last line");
    }
    // The indentation: that of the first line with text, or more spaces on an empty line before.
    int breaks = 0;
    int max = 0;
    int col = 0;
    boolean atEnd = false;
    while (true) {
      if (!nextLine()) {
        atEnd = true;
        break;
      }
      int spaces = leadingSpaces();
      max = Math.max(max, spaces);
      if (lineStart + spaces < eol) {
        col = spaces;
        break;
      }
      if (eol == limit) {
        atEnd = true; // spaces and then the end of the file: no line break
        break;
      }
      breaks++;
    }
    int blockIndent = Math.max(Math.max(column + 1, 1), max);
    StringBuilder out = new StringBuilder();
    boolean lineBreak = false;
    while (!atEnd && col == blockIndent) {
      newlines(out, breaks);
      int start = lineStart + blockIndent;
      boolean leadingNonSpace = buf[start] != ' ';
      out.append(text(start, eol));
      lineBreak = eol < limit;
      breaks = 0;
      if (!lineBreak) {
        atEnd = true;
        break;
      }
      // Empty lines up to the next line with text; spaces beyond the indentation are text.
      while (true) {
        if (!nextLine()) {
          atEnd = true;
          break;
        }
        int spaces = leadingSpaces();
        if (lineStart + spaces < eol) {
          col = Math.min(spaces, blockIndent);
          break;
        }
        if (spaces > blockIndent) {
          col = blockIndent;
          break;
        }
        if (eol == limit) {
          atEnd = true;
          break;
        }
        breaks++;
      }
      if (atEnd || col != blockIndent) {
        break;
      }
      if (folded && leadingNonSpace && buf[lineStart + blockIndent] != ' ') {
        if (breaks == 0) {
          out.append(' ');
        }
      } else {
        out.append('\n');
      }
    }
    if (chomp >= 0 && lineBreak) {
      out.append('\n');
    }
    if (chomp > 0) {
      newlines(out, breaks);
    }
    if (atEnd) {
      noLine = true;
      indent = END;
    } else {
      significant(true);
    }
    if (indent > column) {
      throw new OutsideSubset("a line after a block scalar is indented more than its key");
    }
    return out.toString();
  }

  private static void newlines(StringBuilder out, int n) {
    for (int i = 0; i < n; i++) {
      out.append('\n');
    }
  }

  // ---------------------------------------------------------------- lines

  private void skipSpaces() {
    while (pos < eol && buf[pos] == ' ') {
      pos++;
    }
  }

  private boolean blankOrEnd(int at) {
    return at >= eol || buf[at] == ' ';
  }

  private boolean dash() {
    return indent != END && buf[pos] == '-' && blankOrEnd(pos + 1);
  }

  private boolean startsWith(String s) {
    return eol - pos >= s.length() && match(pos, s);
  }

  private boolean emptyFlow(char open) {
    char close = open == '[' ? ']' : '}';
    if (pos + 1 < eol && buf[pos] == open && buf[pos + 1] == close && blankOrEnd(pos + 2)) {
      pos += 2;
      return true;
    }
    return false;
  }

  /** The rest of the line must be spaces and perhaps a comment. */
  private void endOfLine() {
    skipSpaces();
    if (pos < eol && (buf[pos] != '#' || buf[pos - 1] != ' ')) {
      throw new OutsideSubset("text after a value");
    }
  }

  private int leadingSpaces() {
    int p = lineStart;
    while (p < eol && buf[p] == ' ') {
      p++;
    }
    return p - lineStart;
  }

  /**
   * Moves to the next line with content that is not a comment ({@code current}: starting with the
   * current line), setting {@link #indent} and {@link #pos}; a document marker or the end of the
   * file is {@link #END}.
   */
  private void significant(boolean current) throws IOException {
    if (!current && !nextLine()) {
      indent = END;
      return;
    }
    while (true) {
      int spaces = leadingSpaces();
      int p = lineStart + spaces;
      if (p < eol && buf[p] != '#') {
        pos = p;
        indent = spaces;
        if (spaces == 0 && (startsWith("---") || startsWith("...")) && blankOrEnd(pos + 3)) {
          indent = END;
        }
        return;
      }
      if (!nextLine()) {
        indent = END;
        return;
      }
    }
  }

  /** Advances to the line after the current one; false at the end of the file. */
  private boolean nextLine() throws IOException {
    if (noLine || eol >= limit && eof) {
      noLine = true;
      return false;
    }
    if (!loadLine(eol + 1)) {
      noLine = true;
      return false;
    }
    return true;
  }

  /**
   * Makes the line starting at {@code start} whole in the buffer, checking its characters on the
   * way: SnakeYAML refuses control characters and reads CR and tabs in ways this reader does not
   * follow, so any of them leaves the file to SnakeYAML.
   */
  private boolean loadLine(int start) throws IOException {
    int from = Math.max(start, scanned);
    boolean high = false;
    while (true) {
      byte[] b = buf;
      int n = limit;
      int i = from;
      for (; i < n; i++) {
        byte c = b[i];
        if (c >= 0x20 && c != 0x7F) {
          continue;
        }
        if (c == '\n') {
          break;
        }
        if (c < 0) {
          high = true;
          continue;
        }
        throw new OutsideSubset("a tab, CR or control character");
      }
      if (i < n || eof) {
        if (start >= n && eof) {
          return false;
        }
        lineStart = start;
        eol = i;
        scanned = i + 1;
        if (high) {
          checkText(start, i);
        }
        return true;
      }
      // Keep the part of the line read so far, then read more.
      int kept = n - start;
      if (kept >= MAX_LINE) {
        throw new OutsideSubset("a very long line");
      }
      if (kept > buf.length / 2) {
        buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE + 1));
      }
      System.arraycopy(buf, start, buf, 0, kept);
      from = i - start;
      start = 0;
      limit = kept;
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        eof = true;
      } else {
        limit += r;
      }
    }
  }

  /**
   * A line with non-ASCII text: valid UTF-8 with none of the characters SnakeYAML refuses or reads
   * as line breaks (NEL, LS, PS); a byte order mark is left to SnakeYAML too.
   */
  private void checkText(int start, int end) {
    String s = text(start, end);
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c <= 0x9F
          || c == 0x2028
          || c == 0x2029
          || c == 0xFEFF
          || c == 0xFFFD
          || c == 0xFFFE
          || c == 0xFFFF) {
        throw new OutsideSubset("a character SnakeYAML reads differently");
      }
    }
  }
}
