package dev.runnel.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Keycloak server, from its distribution archive ({@code
 * org.keycloak:keycloak-quarkus-dist}), unpacked once into a home directory, built once with the
 * options of {@link KeycloakBuild} and started with {@code --optimized} on loopback, with the
 * {@code runnel} realm imported on first start.
 *
 * <p>It keeps its data in the home directory (an embedded H2 file, {@code --db=dev-file}), so a
 * restart finds users and clients as they were. Production points the platform at an external
 * Keycloak.
 */
public final class KeycloakServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeycloakServer.class);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path home;
  private final int port;
  private final Path logFile;
  private final Process process;

  private KeycloakServer(Path home, int port, Path logFile, Process process) {
    this.home = home;
    this.port = port;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Unpacks the distribution when {@code home} has none, writes the realm for import, and starts
   * Keycloak; returns at once (see {@link #awaitReady(Duration)}).
   *
   * @param distribution the {@code keycloak-quarkus-dist} tar.gz
   * @param home where Keycloak lives and keeps its data
   * @param port HTTP port on 127.0.0.1; 0 picks a free one
   * @param managementPort Keycloak's management (health) port; 0 picks a free one
   * @param adminUsername bootstrap admin of the master realm
   * @param adminPassword their password
   * @param realmJson the realm to import on first start, or null
   */
  public static KeycloakServer start(
      Path distribution,
      Path home,
      int port,
      int managementPort,
      String adminUsername,
      String adminPassword,
      String realmJson) {
    return start(
        distribution, null, home, port, managementPort, adminUsername, adminPassword, realmJson);
  }

  /**
   * How Keycloak's JVM is set up. {@link #DEFAULT} is Keycloak's own choice (G1 and both JIT
   * compilers, for throughput). {@link #SHARED} is for a Keycloak that shares a small machine with
   * the whole platform, as under {@code runnel up}: the serial collector and the C1 compiler only,
   * as the platform's own processes run there. It starts on less CPU and keeps less memory, at the
   * cost of slower password hashing once warm (docs/benchmarks.md, "runnel up").
   */
  public enum Jvm {
    DEFAULT,
    SHARED
  }

  private static final String HEAP = "-Xms64m -Xmx512m";

  /**
   * kc.sh's own defaults (Keycloak 26) with the serial collector instead of G1, without the flight
   * recorder setting, and with the C1 compiler only. Setting JAVA_OPTS replaces kc.sh's defaults as
   * a whole, so the ones that still apply are repeated here.
   */
  static final String SHARED_JAVA_OPTS =
      String.join(
          " ",
          HEAP,
          "-XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m",
          "-XX:+UseSerialGC -XX:TieredStopAtLevel=1",
          "-XX:+ExitOnOutOfMemoryError",
          "-Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8 -Dsun.err.encoding=UTF-8",
          "-Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8",
          "-Djava.security.egd=file:/dev/urandom",
          "-Djdk.tls.rejectClientInitiatedRenegotiation=true");

  /**
   * As {@link #start(Path, Path, int, int, String, String, String)}, with a server built ahead of
   * use ({@link KeycloakBuild#main(String[])}) whose build output is copied when it matches, so
   * that the first start does not run Keycloak's build step.
   *
   * @param prebuilt the directory a {@link KeycloakBuild} run built a server in, or null
   */
  public static KeycloakServer start(
      Path distribution,
      Path prebuilt,
      Path home,
      int port,
      int managementPort,
      String adminUsername,
      String adminPassword,
      String realmJson) {
    return start(
        distribution,
        prebuilt,
        home,
        port,
        managementPort,
        adminUsername,
        adminPassword,
        realmJson,
        Jvm.DEFAULT);
  }

  /** As above, with Keycloak's JVM set up as {@code jvm} says. */
  public static KeycloakServer start(
      Path distribution,
      Path prebuilt,
      Path home,
      int port,
      int managementPort,
      String adminUsername,
      String adminPassword,
      String realmJson,
      Jvm jvm) {
    try {
      String javaHome = javaHome();
      long buildStarted = System.nanoTime();
      Path prebuiltServer =
          prebuilt != null && Files.isDirectory(prebuilt) ? findServer(prebuilt) : null;
      Path server =
          prebuiltServer != null && KeycloakBuild.isBuiltFor(prebuiltServer, javaHome)
              ? cloneServer(prebuiltServer, home)
              : unpack(distribution, home);
      String how = KeycloakBuild.install(distribution, server, prebuiltServer, javaHome);
      log.info(
          "Keycloak build in {}: {} ({} ms)",
          server,
          how,
          (System.nanoTime() - buildStarted) / 1_000_000);
      if (realmJson != null) {
        Path imports = Files.createDirectories(server.resolve("data").resolve("import"));
        Files.writeString(imports.resolve(RunnelRealm.REALM + "-realm.json"), realmJson);
      }
      int httpPort = port == 0 ? Ports.free() : port;
      List<String> command = new ArrayList<>();
      command.add("bash");
      command.add(server.resolve("bin").resolve("kc.sh").toString());
      // The build-time options were given to the build (KeycloakBuild.BUILD_OPTIONS); only
      // runtime options here.
      command.add("start");
      command.add("--optimized");
      command.add("--http-enabled=true");
      command.add("--cache=local");
      command.add("--http-host=127.0.0.1");
      command.add("--http-port=" + httpPort);
      command.add(
          "--http-management-port=" + (managementPort == 0 ? Ports.free() : managementPort));
      command.add("--hostname-strict=false");
      command.add("--import-realm");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      Path logFile = home.resolve("keycloak.log");
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      Map<String, String> env = builder.environment();
      env.put("JAVA_HOME", javaHome);
      env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
      env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
      if (jvm == Jvm.SHARED) {
        env.put("JAVA_OPTS", SHARED_JAVA_OPTS);
      } else {
        env.put("JAVA_OPTS_KC_HEAP", HEAP);
      }
      Process process = builder.start();
      KeycloakServer keycloak = new KeycloakServer(home, httpPort, logFile, process);
      Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "keycloak-stop"));
      return keycloak;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start Keycloak in " + home, e);
    }
  }

  /**
   * Keycloak runs on JDK 17 but starts about twice as fast on 21+ (measured here: ~30 s against ~14
   * s), so the newest JDK 21+ installed beside this one is preferred; RUNNEL_KEYCLOAK_JAVA_HOME
   * picks one explicitly.
   */
  static String javaHome() {
    String chosen = System.getenv("RUNNEL_KEYCLOAK_JAVA_HOME");
    if (chosen != null && !chosen.isBlank()) {
      return chosen;
    }
    Path current = Path.of(System.getProperty("java.home"));
    Path best = current;
    int bestVersion = Runtime.version().feature();
    Path installed = current.getParent();
    if (installed != null && Files.isDirectory(installed)) {
      try (Stream<Path> jdks = Files.list(installed)) {
        for (Path jdk : jdks.toList()) {
          int version = featureVersion(jdk);
          if (version >= 21
              && version > bestVersion
              && Files.isExecutable(jdk.resolve("bin/java"))) {
            best = jdk;
            bestVersion = version;
          }
        }
      } catch (IOException e) {
        log.debug("could not list JDKs in {}: {}", installed, e.toString());
      }
    }
    return best.toString();
  }

  /** The feature version a JDK's {@code release} file names, or 0. */
  static int featureVersion(Path jdk) {
    Path release = jdk.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String major = v.split("[.+-]")[0];
          return major.matches("\\d+") ? Integer.parseInt(major) : 0;
        }
      }
    } catch (IOException e) {
      log.debug("could not read {}: {}", release, e.toString());
    }
    return 0;
  }

  /**
   * The server in {@code home}, unpacked from the distribution when there is none. The archive is
   * unpacked into a staging directory and moved into place when complete, so an unpacking that was
   * killed midway is never taken for a server.
   */
  static Path unpack(Path distribution, Path home) throws IOException {
    Files.createDirectories(home);
    Path existing = findServer(home);
    if (existing != null) {
      return existing;
    }
    if (!Files.isRegularFile(distribution)) {
      throw new IllegalStateException("no Keycloak distribution at " + distribution);
    }
    log.info("unpacking Keycloak into {}", home);
    Path staging = home.resolve(".unpacking");
    deleteTree(staging);
    Files.createDirectories(staging);
    // The archive holds shell scripts whose execute bits must survive, which tar keeps.
    Process tar =
        new ProcessBuilder("tar", "-xzf", distribution.toString(), "-C", staging.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(tar.getInputStream().readAllBytes());
      if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
        throw new IllegalStateException("unpacking " + distribution + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking Keycloak", e);
    }
    Path unpacked = findServer(staging);
    if (unpacked == null) {
      throw new IllegalStateException(distribution + " does not contain bin/kc.sh");
    }
    Path server = home.resolve(unpacked.getFileName());
    Files.move(unpacked, server, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(staging);
    return server;
  }

  /**
   * A server in {@code home} made from a built one, unless {@code home} has one already. The jars
   * of {@code lib/lib} are hard-linked when both are on one file system (Keycloak never writes
   * them; its build and its data are elsewhere), everything else is copied, and the built server's
   * {@code data} is left out. On a first {@code runnel up} this replaced unpacking the 176 MB
   * distribution, after which Keycloak's JVM started about 18 s in (now about 7 s).
   */
  static Path cloneServer(Path built, Path home) throws IOException {
    Files.createDirectories(home);
    Path existing = findServer(home);
    if (existing != null) {
      return existing;
    }
    log.info("making Keycloak in {} from {}", home, built);
    Path staging = home.resolve(".unpacking");
    deleteTree(staging);
    Path copy = staging.resolve(built.getFileName());
    Path jars = built.resolve("lib").resolve("lib");
    Path data = built.resolve("data");
    try (Stream<Path> paths = Files.walk(built)) {
      for (Path from : paths.toList()) {
        if (from.startsWith(data)) {
          continue;
        }
        Path to = copy.resolve(built.relativize(from).toString());
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(to);
        } else if (from.startsWith(jars) && Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
          linkOrCopy(from, to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
    Path server = home.resolve(built.getFileName());
    Files.move(copy, server, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(staging);
    return server;
  }

  private static void linkOrCopy(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException e) {
      // Another file system, or none that links: a copy serves the same.
      log.debug("copying {} instead of linking it: {}", from, e.toString());
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static Path findServer(Path home) throws IOException {
    try (Stream<Path> children = Files.list(home)) {
      return children
          .filter(p -> Files.isRegularFile(p.resolve("bin").resolve("kc.sh")))
          .findFirst()
          .orElse(null);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The issuer of tokens of the runnel realm. */
  public String issuer() {
    return baseUrl() + "/realms/" + RunnelRealm.REALM;
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the runnel realm answers its discovery document. */
  public KeycloakServer awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest discovery =
        HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
            .timeout(Duration.ofSeconds(3))
            .build();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited during start:\n" + tail());
      }
      try {
        HttpResponse<Void> r = HTTP.send(discovery, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return this;
        }
        last = "HTTP " + r.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
      pause();
    }
    throw new IllegalStateException(
        "Keycloak was not ready within " + timeout + " (" + last + "):\n" + tail());
  }

  private static void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Keycloak", e);
    }
  }

  /** The last lines of Keycloak's log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log at " + logFile + ")";
    }
  }

  public Path home() {
    return home;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      ProcessTrees.stop(process, Duration.ofSeconds(30));
    }
  }
}
