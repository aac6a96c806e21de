package dev.runnel.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keycloak's build step ({@code kc.sh build}, Quarkus augmentation), done once per unpacked server
 * with exactly the build-time options {@link KeycloakServer} starts it with, so that the server
 * starts with {@code --optimized} and pays only its runtime start.
 *
 * <p>The build writes only {@code lib/quarkus/}. A server counts as built when its marker file
 * holds the fingerprint of its version, configuration, providers, the build options and the Java
 * feature version; the marker is removed before a build starts and written only after the build
 * succeeded and Keycloak persisted the expected options. A build killed midway therefore leaves no
 * marker, and the next attempt restores the distribution's pristine {@code lib/quarkus/} first and
 * builds again. A changed option set changes the fingerprint and rebuilds the same way.
 *
 * <p>{@link #main(String[])} builds a server ahead of use (the {@code cli} module does it while it
 * is packaged); {@link #install(Path, Path, Path, String)} then copies that server's build output
 * into a home whose server has the same fingerprint, instead of building there.
 */
public final class KeycloakBuild {
  private static final Logger log = LoggerFactory.getLogger(KeycloakBuild.class);

  /**
   * Keycloak's build-time options, passed to {@code kc.sh build}; never passed at start, which uses
   * {@code --optimized}. The embedded H2 file database keeps its data in the server's home.
   */
  public static final List<String> BUILD_OPTIONS = List.of("--db=dev-file");

  /** What {@code kc.sh build} must have persisted for {@link #BUILD_OPTIONS}. */
  private static final Map<String, String> PERSISTED = Map.of("kc.db", "dev-file");

  /** Holds the fingerprint of the build the server's {@code lib/quarkus/} is the output of. */
  static final String MARKER = ".runnel-build";

  /** The files {@code kc.sh build} writes, all in {@code lib/quarkus/}. */
  private static final List<String> OUTPUT =
      List.of(
          "generated-bytecode.jar",
          "transformed-bytecode.jar",
          "quarkus-application.dat",
          "build-system.properties");

  private KeycloakBuild() {}

  /**
   * Builds a server ahead of use: {@code KeycloakBuild <distribution.tar.gz> <directory>} unpacks
   * the distribution into the directory when it holds none, and builds it unless it is built with
   * the current options already.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: KeycloakBuild <distribution.tar.gz> <directory>");
    }
    Path distribution = Path.of(args[0]);
    Path home = Path.of(args[1]);
    Path server = KeycloakServer.unpack(distribution, home);
    String javaHome = KeycloakServer.javaHome();
    boolean built = ensure(distribution, server, javaHome, home.resolve("keycloak-build.log"));
    log.info(
        "Keycloak in {} {} (Java {})",
        server,
        built ? "built" : "was built already",
        KeycloakServer.featureVersion(Path.of(javaHome)));
  }

  /**
   * Makes {@code server} built with the current options: nothing when it is already; the build
   * output of {@code prebuilt} (a server built ahead, or null) when that one has the same
   * fingerprint; otherwise {@code kc.sh build} in place.
   *
   * @return how the server got built: "already", "prebuilt" or "built"
   */
  static String install(Path distribution, Path server, Path prebuilt, String javaHome)
      throws IOException {
    String expected = fingerprint(server, javaHome);
    if (expected.equals(marker(server))) {
      return "already";
    }
    if (prebuilt != null && expected.equals(marker(prebuilt))) {
      Files.deleteIfExists(server.resolve(MARKER));
      Path from = prebuilt.resolve("lib").resolve("quarkus");
      Path to = server.resolve("lib").resolve("quarkus");
      for (String file : OUTPUT) {
        Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
      checkPersisted(server);
      writeMarker(server, expected);
      return "prebuilt";
    }
    ensure(distribution, server, javaHome, server.getParent().resolve("keycloak.log"));
    return "built";
  }

  /**
   * Builds {@code server} in place unless its marker matches.
   *
   * @return true when a build ran
   */
  static boolean ensure(Path distribution, Path server, String javaHome, Path logFile)
      throws IOException {
    String expected = fingerprint(server, javaHome);
    String found = marker(server);
    if (expected.equals(found)) {
      return false;
    }
    Files.deleteIfExists(server.resolve(MARKER));
    if (!isPristine(server)) {
      // An earlier build (other options, or killed midway) may have left lib/quarkus/ half
      // written; kc.sh runs from those files, so they come back from the distribution first.
      restorePristine(distribution, server);
    }
    log.info(
        "building Keycloak in {} with {} ({})",
        server,
        BUILD_OPTIONS,
        found == null ? "not built yet" : "built with other options");
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(server.resolve("bin").resolve("kc.sh").toString());
    command.add("build");
    command.addAll(BUILD_OPTIONS);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().put("JAVA_HOME", javaHome);
    Process build = builder.start();
    try {
      if (!build.waitFor(20, TimeUnit.MINUTES)) {
        ProcessTrees.stop(build, java.time.Duration.ofSeconds(10));
        throw new IllegalStateException("Keycloak's build did not end within 20 minutes");
      }
    } catch (InterruptedException e) {
      ProcessTrees.stop(build, java.time.Duration.ofSeconds(10));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Keycloak was building", e);
    }
    if (build.exitValue() != 0) {
      throw new IllegalStateException(
          "Keycloak's build failed (exit " + build.exitValue() + "); see " + logFile);
    }
    checkPersisted(server);
    writeMarker(server, expected);
    return true;
  }

  /**
   * The fingerprint of a build of {@code server} with {@link #BUILD_OPTIONS} on the JDK at {@code
   * javaHome}: the Keycloak version, its configuration file, its providers, the options and the
   * Java feature version.
   */
  static String fingerprint(Path server, String javaHome) throws IOException {
    return fingerprint(server, javaHome, BUILD_OPTIONS);
  }

  static String fingerprint(Path server, String javaHome, List<String> options) throws IOException {
    MessageDigest sha = sha256();
    update(sha, "version", read(server.resolve("version.txt")));
    update(sha, "conf", read(server.resolve("conf").resolve("keycloak.conf")));
    Path providers = server.resolve("providers");
    if (Files.isDirectory(providers)) {
      try (Stream<Path> files = Files.list(providers)) {
        for (Path p : files.sorted().toList()) {
          update(sha, "provider", p.getFileName() + " " + Files.size(p));
        }
      }
    }
    for (String option : options) {
      update(sha, "option", option);
    }
    update(sha, "java", String.valueOf(KeycloakServer.featureVersion(Path.of(javaHome))));
    return HexFormat.of().formatHex(sha.digest());
  }

  /** Whether {@code server} holds a complete build for the JDK at {@code javaHome}. */
  static boolean isBuiltFor(Path server, String javaHome) throws IOException {
    return fingerprint(server, javaHome).equals(marker(server));
  }

  /** The fingerprint the server's marker holds, or null when there is none. */
  static String marker(Path server) throws IOException {
    Path marker = server.resolve(MARKER);
    return Files.isRegularFile(marker) ? Files.readString(marker).trim() : null;
  }

  private static void writeMarker(Path server, String fingerprint) throws IOException {
    Path partial = server.resolve(MARKER + ".partial");
    Files.writeString(partial, fingerprint + "\n");
    Files.move(
        partial,
        server.resolve(MARKER),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The options Keycloak persisted in its build output, as {@code kc.*} properties. */
  static Properties persisted(Path server) throws IOException {
    Path jar = server.resolve("lib").resolve("quarkus").resolve("generated-bytecode.jar");
    Properties properties = new Properties();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry("META-INF/keycloak-persisted.properties");
      if (entry != null) {
        try (InputStream in = zip.getInputStream(entry)) {
          properties.load(in);
        }
      }
    }
    return properties;
  }

  /** A distribution as shipped has persisted no options: it has never been built here. */
  private static boolean isPristine(Path server) {
    try {
      return persisted(server).isEmpty();
    } catch (IOException e) {
      log.info("the build output in {} is unreadable ({}): it is restored", server, e.toString());
      return false;
    }
  }

  private static void checkPersisted(Path server) throws IOException {
    Properties persisted = persisted(server);
    PERSISTED.forEach(
        (key, value) -> {
          if (!value.equals(persisted.getProperty(key))) {
            throw new IllegalStateException(
                "Keycloak's build in "
                    + server
                    + " persisted "
                    + key
                    + "="
                    + persisted.getProperty(key)
                    + ", not "
                    + value);
          }
        });
    if (!"prod".equals(persisted.getProperty("kc.profile"))) {
      throw new IllegalStateException(
          "Keycloak's build in " + server + " is not a production build: " + persisted);
    }
  }

  /** Extracts the distribution's own {@code lib/quarkus/} over the server's. */
  private static void restorePristine(Path distribution, Path server) throws IOException {
    log.info("restoring the unbuilt lib/quarkus of {} from {}", server, distribution);
    String top = server.getFileName().toString();
    Process tar =
        new ProcessBuilder(
                "tar",
                "-xzf",
                distribution.toString(),
                "-C",
                server.getParent().toString(),
                top + "/lib/quarkus")
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
        throw new IllegalStateException(
            "could not restore " + top + "/lib/quarkus from " + distribution + ": " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restoring Keycloak", e);
    }
    if (!isPristine(server)) {
      throw new IllegalStateException(
          server + "/lib/quarkus is still built after restoring it from " + distribution);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file) : "";
  }

  private static void update(MessageDigest sha, String key, String value) {
    sha.update((key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("SHA-256 is not available", e));
    }
  }
}
