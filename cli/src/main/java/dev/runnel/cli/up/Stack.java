package dev.runnel.cli.up;

import dev.runnel.embedded.KafkaServer;
import dev.runnel.embedded.KeycloakServer;
import dev.runnel.embedded.Ports;
import dev.runnel.embedded.PostgresServer;
import dev.runnel.embedded.RunnelRealm;
import dev.runnel.embedded.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * The local platform: PostgreSQL, Kafka, Keycloak, the five services and the gateway, each started
 * when what it needs is healthy, and stopped in reverse order.
 */
final class Stack implements AutoCloseable {
  /** Keycloak's bootstrap admin in its master realm; the password is generated. */
  private static final String KEYCLOAK_ADMIN = "keycloak-admin";

  private static final Duration SERVICE_START = Duration.ofMinutes(4);

  private static final List<String> SERVICE_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-Xss512k", "-XX:ReservedCodeCacheSize=48m");

  private final Layout layout;
  private final Path home;
  private final Path keycloakDist;
  private final Progress progress;
  private PostgresServer postgres;
  private volatile KafkaServer kafka;
  private volatile KeycloakServer keycloak;
  private CompletableFuture<Void> keycloakStarted = CompletableFuture.completedFuture(null);
  private CompletableFuture<Void> kafkaStarted = CompletableFuture.completedFuture(null);
  private final List<ServiceProcess> services = new ArrayList<>();
  private ServiceProcess gateway;
  private SandboxProcess sandbox;
  private final List<AppImage> images = new ArrayList<>();
  private Thread archiver;
  private final int sandboxNodes;
  private final Path clusterKubeconfig;
  private Secrets secrets;

  /**
   * @param sandboxNodes nodes of the simulated cluster; 0 when a real cluster is used instead
   */
  Stack(
      Layout layout,
      Path home,
      Path keycloakDist,
      int sandboxNodes,
      Path clusterKubeconfig,
      Progress progress) {
    this.layout = layout;
    this.clusterKubeconfig = clusterKubeconfig;
    this.home = home;
    this.keycloakDist = keycloakDist;
    this.sandboxNodes = sandboxNodes;
    this.progress = progress;
  }

  /** Refuses to start when a port is taken or a jar is missing, before anything runs. */
  void preflight() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("gateway", layout.gatewayPort());
    ports.put("PostgreSQL", layout.postgresPort());
    ports.put("Kafka", layout.kafkaPort());
    ports.put("Kafka controller", layout.kafkaControllerPort());
    ports.put("Keycloak", layout.keycloakPort());
    ports.put("Keycloak management", layout.keycloakManagementPort());
    if (sandboxNodes > 0) {
      ports.put("kube-sandbox", layout.sandboxPort());
    }
    for (String s : Layout.SERVICES) {
      ports.put(s + "-service", layout.servicePort(s));
    }
    List<String> taken = new ArrayList<>();
    ports.forEach(
        (what, port) -> {
          if (Ports.inUse(port)) {
            taken.add(what + " needs 127.0.0.1:" + port);
          }
        });
    if (!taken.isEmpty()) {
      throw new UpException(
          "ports already in use: "
              + String.join("; ", taken)
              + ". Stop what uses them, or choose others with --port and --base-port.");
    }
    if (!Files.isRegularFile(keycloakDist)) {
      throw new UpException(
          "the Keycloak distribution is missing at "
              + keycloakDist
              + "; build with ./mvnw package");
    }
    jar("gateway");
    Layout.SERVICES.forEach(s -> jar(s + "-service"));
  }

  /**
   * Extracts every module's runnable jar (see AppImage), all at once in the background: on a first
   * start this overlaps with PostgreSQL and Kafka starting; later starts find them done.
   */
  private Map<String, CompletableFuture<AppImage>> prepareImages() {
    Map<String, CompletableFuture<AppImage>> images = new LinkedHashMap<>();
    List<String> modules = new ArrayList<>();
    Layout.SERVICES.forEach(s -> modules.add(s + "-service"));
    modules.add("gateway");
    for (String module : modules) {
      Path jar = jar(module);
      CompletableFuture<AppImage> image = new CompletableFuture<>();
      Thread worker =
          new Thread(
              () -> {
                try {
                  image.complete(
                      AppImage.of(
                          module,
                          jar,
                          home.resolve(module).resolve("target").resolve("runnel-up-image")));
                } catch (RuntimeException e) {
                  image.completeExceptionally(e);
                }
              },
              "prepare-" + module);
      worker.setDaemon(true);
      worker.start();
      images.put(module, image);
    }
    return images;
  }

  private static AppImage await(Map<String, CompletableFuture<AppImage>> images, String module) {
    try {
      return images.get(module).join();
    } catch (CompletionException e) {
      throw new UpException(
          "could not prepare " + module + ": " + (e.getCause() != null ? e.getCause() : e));
    }
  }

  Path jar(String module) {
    Path target = home.resolve(module).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().matches(module + "-.*-exec\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new UpException("no runnable jar in " + target + "; build with ./mvnw package"));
    } catch (IOException e) {
      throw new UpException(
          "no runnable jar for " + module + " in " + target + "; build with ./mvnw package");
    }
  }

  void start(Secrets secrets) throws IOException {
    this.secrets = secrets;
    Files.createDirectories(layout.logs());
    Map<String, CompletableFuture<AppImage>> images = prepareImages();
    // Nothing waits for the simulated cluster or Keycloak at start, and Kafka needs nothing: they
    // all start at once, and the services start as soon as their database is there (their Kafka
    // clients connect when the broker is up; readiness waits for it).
    if (sandboxNodes > 0) {
      progress.step(
          "kube-sandbox: starting a SIMULATED cluster of "
              + sandboxNodes
              + " nodes on 127.0.0.1:"
              + layout.sandboxPort());
      sandbox =
          SandboxProcess.start(
              layout.sandboxPort(), sandboxNodes, layout.kubeconfig(), layout.logs());
    }
    progress.step("Keycloak: starting on 127.0.0.1:" + layout.keycloakPort());
    // The first start unpacks the distribution (tens of seconds on a busy machine): off this
    // thread.
    keycloakStarted =
        CompletableFuture.runAsync(
            () ->
                keycloak =
                    KeycloakServer.start(
                        keycloakDist,
                        // Built by the `runnel` script ahead of the first `runnel up`
                        // (KeycloakBuild), so that a first start copies its build output
                        // instead of building; without it, the first start builds in place.
                        home.resolve("cli")
                            .resolve("target")
                            .resolve("keycloak")
                            .resolve("prebuilt"),
                        layout.dataDir().resolve("keycloak"),
                        layout.keycloakPort(),
                        layout.keycloakManagementPort(),
                        KEYCLOAK_ADMIN,
                        secrets.keycloakAdminPassword(),
                        RunnelRealm.json(
                            layout.gatewayUrl(),
                            secrets.gatewayClientSecret(),
                            secrets.adminUsername(),
                            secrets.adminPassword()),
                        // Shares two cores with ten other processes: set up as they are.
                        KeycloakServer.Jvm.SHARED));

    progress.step("Kafka (KRaft): starting on 127.0.0.1:" + layout.kafkaPort());
    kafkaStarted =
        CompletableFuture.runAsync(
            () -> {
              // Formats its storage on first use (a JVM of its own), then starts the broker.
              kafka =
                  KafkaServer.in(
                      layout.dataDir().resolve("kafka"),
                      layout.kafkaPort(),
                      layout.kafkaControllerPort());
              kafka.start();
              progress.step("Kafka: ready");
            });

    progress.step("PostgreSQL 17: starting on 127.0.0.1:" + layout.postgresPort());
    postgres =
        PostgresServer.start(layout.dataDir().resolve("postgres"), layout.postgresPort(), true);
    Layout.SERVICES.forEach(postgres::database);
    progress.step("PostgreSQL: ready, databases " + String.join(", ", Layout.SERVICES));

    for (String s : Layout.SERVICES) {
      AppImage image = await(images, s + "-service");
      this.images.add(image);
      services.add(
          ServiceProcess.start(
              s + "-service",
              image.jar(),
              layout.logs(),
              layout.servicePort(s),
              jvmOptions(image),
              serviceArguments(s),
              serviceEnvironment(s)));
    }
    List<String> gatewayArgs = new ArrayList<>(tokenArguments());
    for (String s : Layout.SERVICES) {
      gatewayArgs.add(
          "--runnel.gateway.services." + s + ".uri=http://127.0.0.1:" + layout.servicePort(s));
    }
    // The gateway needs nothing at start: routes and keys are looked up per request, and its
    // circuit breakers answer 503 for a service that is not up yet.
    AppImage gatewayImage = await(images, "gateway");
    this.images.add(gatewayImage);
    gateway =
        ServiceProcess.start(
            "gateway",
            gatewayImage.jar(),
            layout.logs(),
            layout.gatewayPort(),
            jvmOptions(gatewayImage),
            gatewayArgs,
            // Browser login (BFF) is on when the gateway knows its client secret.
            Map.of("RUNNEL_GATEWAY_LOGIN_CLIENT_SECRET", secrets.gatewayClientSecret()));
    progress.step("services: starting " + String.join(", ", Layout.SERVICES) + " and the gateway");
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    ready.add(kafkaStarted);
    for (ServiceProcess s : services) {
      ready.add(
          CompletableFuture.runAsync(
              () -> {
                s.awaitReady(SERVICE_START);
                progress.step(s.name() + ": ready on " + s.baseUrl());
              }));
    }
    ready.add(
        CompletableFuture.runAsync(
            () -> {
              gateway.awaitReady(SERVICE_START);
              progress.step("gateway: ready on " + layout.gatewayUrl());
            }));
    if (sandbox != null) {
      ready.add(
          CompletableFuture.runAsync(
              () -> {
                sandbox.awaitReady(SERVICE_START);
                progress.step("kube-sandbox: ready, kubeconfig " + layout.kubeconfig());
              }));
    }
    ready.add(
        keycloakStarted.thenRunAsync(
            () -> {
              keycloak.awaitReady(SERVICE_START);
              progress.step("Keycloak: ready, realm runnel at " + layout.keycloakIssuer());
            }));
    join(ready);
    writeArchivesInBackground();
  }

  /**
   * Every service is ready, so each one without an archive has listed the classes it needed to get
   * there: the archives for the next start are written now, one at a time at low priority, rather
   * than on the way down (see AppImage).
   */
  private void writeArchivesInBackground() {
    List<AppImage> missing = images.stream().filter(i -> !i.hasArchive()).toList();
    if (missing.isEmpty()) {
      return;
    }
    progress.step(
        "class-data archives: writing "
            + missing.size()
            + " in the background for a faster next start");
    archiver =
        new Thread(
            () -> {
              int written = 0;
              try {
                for (AppImage image : missing) {
                  if (image.writeArchive(SERVICE_JVM, Duration.ofMinutes(3))) {
                    written++;
                  }
                }
                progress.step(
                    "class-data archives: " + written + " of " + missing.size() + " written");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (IOException e) {
                progress.step("class-data archives: not written (" + e.getMessage() + ")");
              }
            },
            "class-data-archives");
    archiver.setDaemon(true);
    archiver.start();
  }

  private static List<String> jvmOptions(AppImage image) {
    List<String> options = new ArrayList<>(SERVICE_JVM);
    options.addAll(image.jvmOptions());
    return options;
  }

  private static void join(List<CompletableFuture<Void>> futures) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw new UpException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
    }
  }

  private List<String> serviceArguments(String service) {
    List<String> args = new ArrayList<>();
    args.add(
        "--spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + layout.postgresPort() + "/" + service);
    args.add("--spring.r2dbc.username=postgres");
    args.add("--spring.r2dbc.password=postgres");
    args.add("--spring.kafka.bootstrap-servers=127.0.0.1:" + layout.kafkaPort());
    args.addAll(tokenArguments());
    return args;
  }

  /**
   * Secrets and the settings that go with them, by environment: command-line arguments are readable
   * by every local user, a process's environment only by its owner.
   */
  private Map<String, String> serviceEnvironment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    switch (service) {
      case "market" -> env.put("RUNNEL_MARKET_SECRET_KEY", secrets.encryptionKey());
      case "deploy" -> {
        env.put("RUNNEL_DEPLOY_SECRET_KEY", secrets.encryptionKey());
        env.put("RUNNEL_MARKET_URL", "http://127.0.0.1:" + layout.servicePort("market"));
        env.put("RUNNEL_LOCAL_KUBECONFIG", clusterKubeconfig.toAbsolutePath().toString());
      }
      case "identity" -> {
        env.put("KEYCLOAK_URL", "http://127.0.0.1:" + layout.keycloakPort());
        env.put("KEYCLOAK_ADMIN_USERNAME", KEYCLOAK_ADMIN);
        env.put("KEYCLOAK_ADMIN_PASSWORD", secrets.keycloakAdminPassword());
        env.put("RUNNEL_GATEWAY_URL", layout.gatewayUrl());
        env.put("RUNNEL_GATEWAY_CLIENT_SECRET", secrets.gatewayClientSecret());
      }
      default -> {
        // monitor and audit hold no secrets yet
      }
    }
    return env;
  }

  /** Issuer and key set given directly, so services start without waiting for Keycloak. */
  private List<String> tokenArguments() {
    return List.of(
        "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + layout.keycloakIssuer(),
        "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri="
            + layout.keycloakIssuer()
            + "/protocol/openid-connect/certs");
  }

  StateFile state() {
    List<StateFile.Component> components = new ArrayList<>();
    components.add(
        new StateFile.Component(
            "postgresql", layout.postgresPort(), -1, "tcp://127.0.0.1:" + layout.postgresPort()));
    components.add(
        new StateFile.Component(
            "kafka", layout.kafkaPort(), kafka.pid(), "tcp://127.0.0.1:" + layout.kafkaPort()));
    components.add(
        new StateFile.Component(
            "keycloak",
            layout.keycloakPort(),
            -1,
            layout.keycloakIssuer() + "/.well-known/openid-configuration"));
    if (sandbox != null) {
      components.add(
          new StateFile.Component(
              "kube-sandbox", layout.sandboxPort(), sandbox.pid(), sandbox.baseUrl() + "/version"));
    }
    for (ServiceProcess s : services) {
      components.add(
          new StateFile.Component(
              s.name(), s.port(), s.pid(), s.baseUrl() + "/actuator/health/readiness"));
    }
    components.add(
        new StateFile.Component(
            "gateway",
            gateway.port(),
            gateway.pid(),
            gateway.baseUrl() + "/actuator/health/readiness"));
    return new StateFile(
        ProcessHandle.current().pid(),
        Instant.now().toString(),
        layout.gatewayUrl(),
        layout.keycloakIssuer(),
        sandbox != null,
        components);
  }

  /** A service or server that stopped on its own since start, or null. */
  String firstDead() {
    if (gateway != null && !gateway.isAlive()) {
      return "gateway (log: " + gateway.log() + ")";
    }
    for (ServiceProcess s : services) {
      if (!s.isAlive()) {
        return s.name() + " (log: " + s.log() + ")";
      }
    }
    if (sandbox != null && !sandbox.isAlive()) {
      return "kube-sandbox (log: " + sandbox.log() + ")";
    }
    if (keycloak != null && !keycloak.isAlive()) {
      return "Keycloak (log: " + keycloak.home().resolve("keycloak.log") + ")";
    }
    if (kafka != null && !kafka.isRunning()) {
      return "Kafka (log: " + kafka.logFile() + ")";
    }
    return null;
  }

  /** Stops everything that was started, gateway first and PostgreSQL last. */
  @Override
  public void close() {
    if (archiver != null) {
      // An unfinished archive is discarded; the next start lists its classes again.
      archiver.interrupt();
    }
    if (gateway != null) {
      progress.step("stopping gateway");
      gateway.close();
    }
    if (!services.isEmpty()) {
      progress.step("stopping services");
      // All at once: each may take its whole grace period, and a common pool on two cores would
      // stop them two at a time.
      List<Thread> stopping = new ArrayList<>();
      for (ServiceProcess s : services) {
        Thread t = new Thread(s::close, "stop-" + s.name());
        t.start();
        stopping.add(t);
      }
      for (Thread t : stopping) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (sandbox != null) {
      progress.step("stopping kube-sandbox");
      sandbox.close();
    }
    keycloakStarted.handle((ok, failure) -> null).join();
    if (keycloak != null) {
      progress.step("stopping Keycloak");
      keycloak.close();
    }
    // A broker still starting is waited for, so that it is stopped rather than left behind.
    kafkaStarted.handle((ok, failure) -> null).join();
    if (kafka != null) {
      progress.step("stopping Kafka");
      kafka.stop();
    }
    if (postgres != null) {
      progress.step("stopping PostgreSQL");
      postgres.close();
    }
  }

  /** A start that cannot go on, with a message for the user. */
  static final class UpException extends RuntimeException {
    UpException(String message) {
      super(message);
    }
  }
}
