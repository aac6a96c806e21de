package dev.runnel.deploy.bundle.adapter.out.archive;

import dev.runnel.deploy.bundle.application.BundleCodec;
import dev.runnel.deploy.bundle.application.BundleProperties;
import dev.runnel.deploy.bundle.domain.Bundle;
import dev.runnel.deploy.bundle.domain.BundleManifest;
import dev.runnel.deploy.bundle.domain.InvalidBundleException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code .tar.gz} form of a bundle: {@code bundle.json}, {@code values.yaml}, {@code
 * chart/<name>-<version>.tgz} and {@code manifests/revision-<n>.yaml}. Reading treats the bytes as
 * hostile: gzip only, decompressed bytes and entries counted as they are read (not as headers
 * claim), no absolute or {@code ..} paths, no links, devices or unknown entries, and {@code
 * bundle.json} checked field by field.
 */
@Component
class TarGzBundleCodec implements BundleCodec {
  static final String BUNDLE_JSON = "bundle.json";
  static final String VALUES = "values.yaml";

  /** bundle.json, values.yaml and each manifest: text, far below this when honest. */
  static final long MAX_TEXT_ENTRY = 16L * 1024 * 1024;

  private static final Pattern CHART_ENTRY = Pattern.compile("chart/([^/]+)\\.tgz");
  private static final Pattern MANIFEST_ENTRY =
      Pattern.compile("manifests/revision-([1-9][0-9]{0,8})\\.yaml");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+_-]{1,64}");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  private final JsonMapper json;
  private final BundleProperties limits;

  TarGzBundleCodec(JsonMapper json, BundleProperties limits) {
    this.json = json;
    this.limits = limits;
  }

  // ---------------------------------------------------------------- write

  @Override
  public byte[] write(Bundle bundle) {
    BundleManifest m = bundle.manifest();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Date time = Date.from(m.exportedAt());
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      put(tar, BUNDLE_JSON, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree(m)), time);
      put(tar, VALUES, bundle.valuesYaml().getBytes(StandardCharsets.UTF_8), time);
      put(tar, m.chartEntry(), bundle.chartPackage(), time);
      for (Map.Entry<Integer, String> e : bundle.manifests().entrySet()) {
        put(
            tar,
            "manifests/revision-" + e.getKey() + ".yaml",
            e.getValue().getBytes(StandardCharsets.UTF_8),
            time);
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void put(TarArchiveOutputStream tar, String name, byte[] data, Date time)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(data.length);
    entry.setMode(0100644);
    entry.setModTime(time);
    tar.putArchiveEntry(entry);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private ObjectNode tree(BundleManifest m) {
    ObjectNode root = json.createObjectNode();
    root.put("formatVersion", m.formatVersion());
    root.put("instanceName", m.instanceName());
    root.put("team", m.team());
    ObjectNode app = root.putObject("app");
    app.put("repository", m.repository());
    app.put("name", m.chart());
    app.put("version", m.version());
    root.put("chartDigest", m.chartDigest());
    ObjectNode source = root.putObject("source");
    source.put("cluster", m.sourceCluster());
    source.put("namespace", m.sourceNamespace());
    ObjectNode revision = root.putObject("revision");
    revision.put("number", m.revision().number());
    revision.put("createdAt", m.revision().createdAt().toString());
    revision.put("actor", m.revision().actor());
    revision.put("status", m.revision().status());
    root.put("exportedAt", m.exportedAt().toString());
    root.put("exportedBy", m.exportedBy());
    return root;
  }

  // ---------------------------------------------------------------- read

  @Override
  public Bundle read(byte[] archive) {
    long maxSize = limits.maxSize().toBytes();
    if (archive.length > maxSize) {
      throw new InvalidBundleException(
          "is " + archive.length + " bytes; bundles may be at most " + maxSize + " bytes");
    }
    if (archive.length < 2 || (archive[0] & 0xff) != 0x1f || (archive[1] & 0xff) != 0x8b) {
      throw new InvalidBundleException("is not a gzip file; a bundle is a .tar.gz export");
    }
    long maxUnpacked = limits.maxUnpacked().toBytes();
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Bounded unpacked =
            new Bounded(
                new GzipCompressorInputStream(new ByteArrayInputStream(archive)), maxUnpacked);
        TarArchiveInputStream tar = new TarArchiveInputStream(unpacked)) {
      TarArchiveEntry entry;
      int count = 0;
      while ((entry = tar.getNextEntry()) != null) {
        if (++count > limits.maxEntries()) {
          throw new InvalidBundleException(
              "has more than " + limits.maxEntries() + " entries; a bundle has a handful");
        }
        String name = entry.getName();
        checkPath(name);
        if (entry.isSymbolicLink() || entry.isLink()) {
          throw new InvalidBundleException(
              "entry '" + name + "' is a link; a bundle holds only regular files");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          throw new InvalidBundleException(
              "entry '" + name + "' is a device or pipe; a bundle holds only regular files");
        }
        if (entry.isDirectory()) {
          if (!name.equals("chart/") && !name.equals("manifests/")) {
            throw new InvalidBundleException("has an unknown directory '" + name + "'");
          }
          continue;
        }
        if (!entry.isFile()) {
          throw new InvalidBundleException(
              "entry '" + name + "' is not a regular file; a bundle holds only regular files");
        }
        if (!known(name)) {
          throw new InvalidBundleException(
              "has an unknown entry '"
                  + name
                  + "'; a bundle holds bundle.json, values.yaml, chart/<name>-<version>.tgz and"
                  + " manifests/revision-<n>.yaml");
        }
        if (files.containsKey(name)) {
          throw new InvalidBundleException("has the entry '" + name + "' twice");
        }
        long max = name.startsWith("chart/") ? limits.maxSize().toBytes() : MAX_TEXT_ENTRY;
        byte[] data = tar.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        if (data.length > max) {
          throw new InvalidBundleException(
              "entry '"
                  + name
                  + "' unpacks to more than "
                  + max
                  + " bytes; it is refused as a possible zip bomb");
        }
        files.put(name, data);
      }
    } catch (TooLarge e) {
      throw new InvalidBundleException(
          "unpacks to more than " + maxUnpacked + " bytes; it is refused as a possible zip bomb");
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidBundleException(
          "is not a readable .tar.gz: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    return bundle(files);
  }

  private static boolean known(String name) {
    return name.equals(BUNDLE_JSON)
        || name.equals(VALUES)
        || CHART_ENTRY.matcher(name).matches()
        || MANIFEST_ENTRY.matcher(name).matches();
  }

  private static void checkPath(String name) {
    if (name.isEmpty()
        || name.startsWith("/")
        || name.startsWith("\\")
        || (name.length() > 1 && name.charAt(1) == ':')) {
      throw new InvalidBundleException("entry '" + name + "' has an absolute path");
    }
    for (String part : name.split("[/\\\\]")) {
      if (part.equals("..")) {
        throw new InvalidBundleException("entry '" + name + "' leaves the bundle with '..'");
      }
    }
    if (name.indexOf('\0') >= 0 || name.length() > 255) {
      throw new InvalidBundleException("has an entry with an unusable name");
    }
  }

  private Bundle bundle(Map<String, byte[]> files) {
    byte[] manifestJson = files.get(BUNDLE_JSON);
    if (manifestJson == null) {
      throw new InvalidBundleException("has no bundle.json");
    }
    BundleManifest manifest = manifest(manifestJson);
    byte[] values = files.get(VALUES);
    if (values == null) {
      throw new InvalidBundleException("has no values.yaml");
    }
    String chartEntry = manifest.chartEntry();
    byte[] chart = files.get(chartEntry);
    for (String name : files.keySet()) {
      if (CHART_ENTRY.matcher(name).matches() && !name.equals(chartEntry)) {
        throw new InvalidBundleException(
            "has the chart package '"
                + name
                + "', but bundle.json names "
                + manifest.chart()
                + " "
                + manifest.version()
                + " ("
                + chartEntry
                + ")");
      }
    }
    if (chart == null) {
      throw new InvalidBundleException("has no chart package " + chartEntry);
    }
    Map<Integer, String> manifests = new LinkedHashMap<>();
    files.forEach(
        (name, data) -> {
          Matcher m = MANIFEST_ENTRY.matcher(name);
          if (m.matches()) {
            manifests.put(Integer.parseInt(m.group(1)), text(name, data));
          }
        });
    String schema =
        ChartPackages.valuesSchema(chart, manifest.chart(), limits.maxUnpacked().toBytes());
    String valuesYaml = text(VALUES, values);
    checkValues(valuesYaml);
    return new Bundle(manifest, valuesYaml, chart, schema, manifests);
  }

  /** values.yaml is the user's values: empty, or one YAML mapping (no aliases bombs, no tags). */
  private static void checkValues(String yaml) {
    if (yaml.isBlank()) {
      return;
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setAllowDuplicateKeys(false);
    Object loaded;
    try {
      loaded = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new InvalidBundleException(
          "values.yaml is not valid YAML: " + m.lines().findFirst().orElse(m));
    }
    if (loaded != null && !(loaded instanceof Map)) {
      throw new InvalidBundleException("values.yaml is not a mapping of values");
    }
  }

  private BundleManifest manifest(byte[] bytes) {
    JsonNode root;
    try {
      root = json.readTree(bytes);
    } catch (JacksonException e) {
      throw new InvalidBundleException("bundle.json is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidBundleException("bundle.json is not a JSON object");
    }
    JsonNode format = root.get("formatVersion");
    if (format == null || !format.isInt()) {
      throw new InvalidBundleException("bundle.json has no formatVersion");
    }
    if (format.asInt() != BundleManifest.FORMAT_VERSION) {
      throw new InvalidBundleException(
          "bundle.json has format version "
              + format.asInt()
              + "; this service reads version "
              + BundleManifest.FORMAT_VERSION);
    }
    JsonNode app = object(root, "app");
    JsonNode source = object(root, "source");
    JsonNode revision = object(root, "revision");
    JsonNode number = revision.get("number");
    if (number == null || !number.isInt() || number.asInt() < 1) {
      throw new InvalidBundleException("bundle.json revision.number must be a positive integer");
    }
    return new BundleManifest(
        format.asInt(),
        text(root, "instanceName", NAME),
        text(root, "team", NAME),
        text(app, "app.repository", "repository", NAME),
        text(app, "app.name", "name", NAME),
        text(app, "app.version", "version", VERSION),
        text(root, "chartDigest", DIGEST),
        text(source, "source.cluster", "cluster", null),
        text(source, "source.namespace", "namespace", NAME),
        new BundleManifest.RevisionInfo(
            number.asInt(),
            time(revision, "revision.createdAt", "createdAt"),
            text(revision, "revision.actor", "actor", null),
            text(revision, "revision.status", "status", null)),
        time(root, "exportedAt", "exportedAt"),
        text(root, "exportedBy", "exportedBy", null));
  }

  private static JsonNode object(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isObject()) {
      throw new InvalidBundleException("bundle.json has no object '" + field + "'");
    }
    return node;
  }

  private static String text(JsonNode node, String field, Pattern pattern) {
    return text(node, field, field, pattern);
  }

  private static String text(JsonNode node, String path, String field, Pattern pattern) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString() || value.asString().length() > 1024) {
      throw new InvalidBundleException("bundle.json has no text field '" + path + "'");
    }
    String text = value.asString();
    if (pattern != null && !pattern.matcher(text).matches()) {
      throw new InvalidBundleException(
          "bundle.json field '" + path + "' is not valid: '" + text + "'");
    }
    return text;
  }

  private static Instant time(JsonNode node, String path, String field) {
    String text = text(node, path, field, null);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidBundleException(
          "bundle.json field '" + path + "' is not an ISO-8601 instant: '" + text + "'");
    }
  }

  private static String text(String name, byte[] data) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(data))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidBundleException(name + " is not UTF-8 text");
    }
  }

  /** Counts the bytes read through it and stops past the limit. */
  static final class Bounded extends FilterInputStream {
    private final long limit;
    private long read;

    Bounded(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      if (skipped > 0) {
        count(skipped);
      }
      return skipped;
    }

    private void count(long n) {
      read += n;
      if (read > limit) {
        throw new TooLarge();
      }
    }
  }

  /** Unchecked, so that the tar reader does not wrap it into a parse error. */
  static final class TooLarge extends RuntimeException {
    TooLarge() {
      super(null, null, false, false);
    }
  }
}
