package dev.runnel.cli.health;

import dev.runnel.health.Health;
import dev.runnel.health.HealthAssessor;
import dev.runnel.health.HealthStatus;
import dev.runnel.health.ManifestException;
import dev.runnel.health.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runnel health FILE...}: the health of the objects in manifest files, offline, with the
 * assessment deploy-service uses (kube-health).
 */
@Command(
    name = "health",
    description = "Assess the health of the Kubernetes objects in manifest files (offline).",
    footer = {
      "",
      "Prints one line per object: FILE KIND/NAME STATUS [MESSAGE]. STATUS is Healthy,"
          + " Suspended, Progressing, Missing, Degraded or Unknown, or - for kinds that have no"
          + " health (ConfigMap, Secret, ...), which do not count.",
      "",
      "Exit status: 0 when every object with a health is Healthy, 1 when one is not,"
          + " 2 when a file cannot be read or is not a Kubernetes manifest."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every object is Healthy",
      "1:an object is not Healthy",
      "2:a file is missing or not a manifest (other files are still assessed)"
    })
public final class HealthCommand implements Callable<Integer> {
  static final int ALL_HEALTHY = 0;
  static final int NOT_HEALTHY = 1;
  static final int BAD_INPUT = 2;

  /** Larger manifests are refused: no chart renders anywhere near this. */
  static final long MAX_FILE_BYTES = 32L * 1024 * 1024;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Manifest files: multi-document YAML or JSON; - reads standard input.")
  List<String> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean badInput = false;
    boolean allHealthy = true;
    for (String file : files) {
      List<Map<String, Object>> objects;
      try {
        objects = Manifests.parse(read(file));
      } catch (IOException | ManifestException e) {
        err.println("runnel health: " + file + ": " + describe(e));
        badInput = true;
        continue;
      }
      if (objects.isEmpty()) {
        err.println("runnel health: " + file + ": no Kubernetes objects in it");
        badInput = true;
        continue;
      }
      for (Map<String, Object> object : objects) {
        Optional<Health> health = HealthAssessor.assess(object);
        String status = health.map(h -> h.status().label()).orElse("-");
        String message = health.map(Health::message).orElse("");
        out.println(
            String.join(" ", file, printable(kind(object)) + "/" + printable(name(object)), status)
                + (message.isBlank() ? "" : " " + printable(oneLine(message))));
        if (health.isPresent() && health.get().status() != HealthStatus.HEALTHY) {
          allHealthy = false;
        }
      }
    }
    out.flush();
    err.flush();
    if (badInput) {
      return BAD_INPUT;
    }
    return allHealthy ? ALL_HEALTHY : NOT_HEALTHY;
  }

  private static String read(String file) throws IOException {
    byte[] bytes;
    if ("-".equals(file)) {
      bytes = readLimited(System.in);
    } else {
      Path path = Path.of(file);
      if (Files.isDirectory(path)) {
        throw new IOException("is a directory; give the manifest files in it");
      }
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new IOException("larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
      }
      bytes = Files.readAllBytes(path);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("not UTF-8 text (a manifest is YAML or JSON)", e);
    }
  }

  private static byte[] readLimited(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new IOException("larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
    }
    return bytes;
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String kind(Map<String, Object> object) {
    return String.valueOf(object.get("kind"));
  }

  private static String name(Map<String, Object> object) {
    if (object.get("metadata") instanceof Map<?, ?> metadata) {
      if (metadata.get("name") instanceof String name && !name.isBlank()) {
        return name;
      }
      if (metadata.get("generateName") instanceof String prefix && !prefix.isBlank()) {
        return prefix + "*";
      }
    }
    return "(unnamed)";
  }

  /** Manifests are untrusted: control characters could rewrite the user's terminal. */
  private static String printable(String text) {
    return text.replaceAll("\\p{Cntrl}", "?");
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
