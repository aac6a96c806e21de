package dev.runnel.bench.gateway;

import dev.runnel.bench.support.ChildProcess;
import dev.runnel.bench.support.CpuMeter;
import dev.runnel.bench.support.Machine;
import dev.runnel.bench.support.PostgresProcesses;
import dev.runnel.testkit.KafkaBroker;
import dev.runnel.testkit.TestPostgres;
import dev.runnel.testkit.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Gateway overhead: wrk against market-service directly (the yardstick) and through the gateway, in
 * the same run, on {@code GET /api/market/v1/categories} with a bearer token that both validate;
 * and, at 32 connections, two more gateways from the same jar: one configured as the gateway was
 * before its token cache and trace sampling ({@code untuned}), one that does not check tokens at
 * all ({@code nocheck}, a benchmark-only security chain on {@code loader.path}; the service still
 * checks), for the cost of the gateway's token check.
 *
 * <p>After a JIT warm-up on every core, the driver pins every process: in the {@code split} layout
 * (default) the backend (PostgreSQL, the broker, market-service, and the driver) on one CPU and the
 * gateways with wrk on the other, as a deployment gives the gateway its own CPU; in the {@code
 * shared} layout (the first version's) every server on one CPU and wrk on the other.
 */
public final class GatewayBenchmark {
  private static final String PATH = "/api/market/v1/categories";
  // Generous: on a machine shared with other builds four JVMs have taken over three minutes to
  // start.
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(600);
  private static final double TARGET_RATIO = 0.5;
  private static final double TARGET_ADDED_P50_MS = 1.0;
  private static final double TARGET_TOKEN_CHECK_RATIO = 0.9;
  private static final String ROLE = "-Drunnel.bench.role=";

  /** As the gateway shipped before its token cache and with the kit's trace-everything default. */
  private static final List<String> UNTUNED =
      List.of(
          "--runnel.gateway.token-cache.enabled=false",
          "--management.tracing.sampling.probability=1.0");

  private final Options options;
  private final CpuMeter cpu = new CpuMeter(this::component);
  private final List<String> cpuLines = new ArrayList<>();
  private final List<String> perRequestLines = new ArrayList<>();
  private String pinned = "nothing";
  private PostgresProcesses postgresProcesses;

  private GatewayBenchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) {
    Options options = Options.parse(args);
    int status = 0;
    try {
      new GatewayBenchmark(options).run();
    } catch (Exception e) {
      System.out.println("the benchmark could not finish; logs are in " + options.logDir());
      e.printStackTrace(System.out);
      status = 1;
    }
    // Kafka client threads would keep the JVM alive; the children end in their shutdown hooks.
    System.exit(status);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    System.out.println("starting embedded PostgreSQL, a KRaft broker and the test JWKS ...");
    TestPostgres postgres = TestPostgres.get();
    postgresProcesses = new PostgresProcesses(postgres.port());
    String db = postgres.database("bench_market");
    KafkaBroker broker = KafkaBroker.startNew();
    TestTokens tokens = TestTokens.get();

    int marketPort = ChildProcess.freePort();
    int gatewayPort = ChildProcess.freePort();
    List<String> jwt =
        List.of(
            "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwkSetUri(),
            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer());
    List<String> marketArgs = new ArrayList<>(jwt);
    marketArgs.addAll(
        List.of(
            "--server.address=127.0.0.1",
            "--server.port=" + marketPort,
            "--spring.r2dbc.url=" + postgres.r2dbcUrl(db),
            "--spring.r2dbc.username=" + postgres.username(),
            "--spring.r2dbc.password=" + postgres.password(),
            "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers()));
    List<String> gatewayBase = new ArrayList<>(jwt);
    gatewayBase.addAll(
        List.of(
            "--server.address=127.0.0.1",
            "--runnel.gateway.services.market.uri=http://127.0.0.1:" + marketPort));
    gatewayBase.addAll(options.gatewayArgs());

    System.out.println("starting market-service and the gateways ...");
    ChildProcess market = startJar("market", options.marketJar(), marketArgs, null);
    Map<String, Integer> ports = new java.util.LinkedHashMap<>();
    ports.put("gateway", gatewayPort);
    if (options.variants()) {
      ports.put("untuned", ChildProcess.freePort());
      ports.put("nocheck", ChildProcess.freePort());
    }
    Path noCheckJar = options.variants() ? NoCheckJar.write(options.logDir()) : null;
    List<ChildProcess> gateways = new ArrayList<>();
    try {
      // One JVM starting at a time: on a machine busy with other work, five starting at once took
      // more than ten minutes.
      market.awaitHttpOk(health(marketPort), READY_TIMEOUT);
      for (Map.Entry<String, Integer> g : ports.entrySet()) {
        List<String> args = new ArrayList<>(gatewayBase);
        args.add("--server.port=" + g.getValue());
        if (g.getKey().equals("untuned")) {
          args.addAll(UNTUNED);
        }
        ChildProcess gatewayProcess =
            startJar(
                g.getKey(),
                options.gatewayJar(),
                args,
                g.getKey().equals("nocheck") ? noCheckJar : null);
        gateways.add(gatewayProcess);
        gatewayProcess.awaitHttpOk(health(g.getValue()), READY_TIMEOUT);
      }

      String direct = "http://127.0.0.1:" + marketPort + PATH;
      Map<String, String> routed = new java.util.LinkedHashMap<>();
      ports.forEach((name, port) -> routed.put(name, "http://127.0.0.1:" + port + PATH));
      seedCategories("http://127.0.0.1:" + marketPort + PATH, tokens.admin());
      // Anyone signed in may list categories: a plain user's token, as the console would send.
      String token = tokens.user("bench").mint();
      String body = null;
      for (String url : routed.values()) {
        body = sameAnswer(direct, url, token);
      }
      if (options.variants()) {
        refusedWithoutToken(routed.get("gateway"));
      }

      // Compiling Spring applications takes the JIT minutes of CPU. Pinned to one shared core from
      // the start, C2 still took over half of market-service's CPU in the measured rows, so the
      // servers warm up unpinned, on every core, and are pinned after. Every gateway gets load at
      // once (so market-service gets all of it).
      System.out.printf(
          Locale.ROOT,
          "JIT warm-up: %d s through %s at 32 connections in all, nothing pinned yet%n",
          options.jitSeconds(),
          String.join(", ", routed.keySet()));
      int each = Math.max(1, 32 / routed.size());
      List<ChildProcess> warmUps = new ArrayList<>();
      routed.forEach(
          (name, url) ->
              warmUps.add(
                  startWrk(null, url, each, options.jitSeconds(), token, "jit-warmup-" + name)));
      warmUps.forEach(w -> finishWrk(w, options.jitSeconds()));
      pinned = pin();
      List<Pair> pairs = new ArrayList<>();
      for (int connections : options.connections()) {
        // Rounds alternate which side goes first (direct-gateway, gateway-direct, ...), so over an
        // even number of rounds a steady drift of the service's own throughput during the run
        // (its JIT and GC settle for minutes) weighs on both sides alike and cancels in the mean;
        // the verdicts use the means.
        for (int round = 1; round <= options.rounds(); round++) {
          WrkResult d;
          WrkResult g;
          if (round % 2 == 1) {
            d = measure("direct", direct, connections, token);
            g = measure("gateway", routed.get("gateway"), connections, token);
          } else {
            g = measure("gateway", routed.get("gateway"), connections, token);
            d = measure("direct", direct, connections, token);
          }
          pairs.add(new Pair(connections, round, d, g));
        }
      }
      Map<String, WrkResult> variants = new java.util.LinkedHashMap<>();
      Map<String, Double> gatewayCpuPerRequest = new java.util.LinkedHashMap<>();
      if (options.variants()) {
        for (String name : List.of("untuned", "nocheck", "gateway")) {
          WrkResult r = measure(name, routed.get(name), 32, token);
          variants.put(name, r);
          gatewayCpuPerRequest.put(name, lastCpuPerRequest.getOrDefault(name, Double.NaN));
        }
      }
      print(
          pairs,
          variants,
          gatewayCpuPerRequest,
          body.length(),
          Duration.ofNanos(System.nanoTime() - started));
    } finally {
      // Services first, so that they do not log the database and broker going away under them.
      for (ChildProcess g : gateways) {
        g.stop(Duration.ofSeconds(20));
      }
      market.stop(Duration.ofSeconds(20));
    }
  }

  /** The check under measurement must be on: the shipped gateway refuses a request without one. */
  private static void refusedWithoutToken(String routed) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(routed)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 401) {
      throw new IllegalStateException(
          "the gateway answered " + r.statusCode() + " to a request without a token, not 401");
    }
  }

  /**
   * A service from its runnable jar, marked with its role on the command line (the CPU meter and
   * the pinning find it by that). With {@code extraJar}, Spring Boot's PropertiesLauncher puts that
   * jar on the classpath too ({@code loader.path}); the application is the same.
   */
  private ChildProcess startJar(String role, Path jar, List<String> args, Path extraJar) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A bounded heap like the others; everything else is the JVM's choice for the pinned core.
    command.add("-Xmx512m");
    command.add(ROLE + role);
    if (options.jfr()) {
      command.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + options.logDir().toAbsolutePath().resolve(role + ".jfr"));
    }
    if (extraJar == null) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-Dloader.path=" + extraJar.toAbsolutePath());
      command.add("-cp");
      command.add(jar.toString());
      command.add("org.springframework.boot.loader.launch.PropertiesLauncher");
    }
    command.addAll(args);
    return ChildProcess.start(role, command, options.logDir());
  }

  private static String health(int port) {
    return "http://127.0.0.1:" + port + "/actuator/health/readiness";
  }

  /** A realistic list: the categories a market would have, created through the API. */
  private void seedCategories(String url, String adminToken)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 1; i <= options.categories(); i++) {
      String json =
          String.format(
              Locale.ROOT,
              "{\"name\":\"Category %02d\",\"description\":\"Applications of kind %d\","
                  + "\"sortOrder\":%d}",
              i,
              i,
              i);
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer " + adminToken)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException(
            "creating a category answered " + r.statusCode() + ": " + r.body());
      }
    }
  }

  /**
   * Pins the driver, the servers and every thread they have to their CPUs by the layout, as {@code
   * taskset -a -p} by hand would, and returns what was pinned as the kernel reports it. PostgreSQL
   * backends forked later inherit the postmaster's affinity.
   */
  private String pin() {
    List<ProcessHandle> servers = new ArrayList<>();
    servers.add(ProcessHandle.current());
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> component(p).isPresent())
        .forEach(servers::add);
    Map<String, Set<String>> cpusByComponent = new TreeMap<>();
    Map<String, Integer> processes = new TreeMap<>();
    for (ProcessHandle p : servers) {
      String name = p.pid() == ProcessHandle.current().pid() ? "driver" : component(p).get();
      ChildProcess taskset =
          ChildProcess.start(
              "taskset-" + p.pid(),
              List.of(
                  "taskset",
                  "-a",
                  "-p",
                  "-c",
                  options.layout().cpuOf(name),
                  Long.toString(p.pid())),
              options.logDir());
      if (taskset.waitFor(Duration.ofSeconds(10)) != 0) {
        throw new IllegalStateException("could not pin " + p.pid() + "; see " + taskset.log());
      }
      cpusByComponent.computeIfAbsent(name, k -> new TreeSet<>()).add(allowedCpus(p.pid()));
      processes.merge(name, 1, Integer::sum);
    }
    StringBuilder report = new StringBuilder();
    cpusByComponent.forEach(
        (name, cpus) ->
            report
                .append(report.length() == 0 ? "" : ", ")
                .append(name)
                .append(processes.get(name) > 1 ? " (" + processes.get(name) + " processes)" : "")
                .append(" on CPU ")
                .append(String.join("/", cpus)));
    return report.toString();
  }

  /**
   * Where each process runs once the JIT warm-up is over.
   *
   * <p>{@code split}: the backend (market-service, its PostgreSQL, the broker) on CPU 0, the
   * gateway and the load generator on CPU 1 — a deployment gives the gateway CPU of its own, and a
   * gateway queueing behind the service's CPU measures the service, not the hop. wrk is light next
   * to either JVM. The driver (idle while wrk runs) goes with the backend.
   *
   * <p>{@code shared}: every server on CPU 0 and wrk on CPU 1, the first version's layout: a
   * request through the gateway then costs the gateway's CPU and the service's on one core.
   */
  enum Layout {
    SPLIT("0", "1", "1"),
    SHARED("0", "0", "1");

    private final String backend;
    private final String gateway;
    private final String wrk;

    Layout(String backend, String gateway, String wrk) {
      this.backend = backend;
      this.gateway = gateway;
      this.wrk = wrk;
    }

    String cpuOf(String component) {
      return switch (component) {
        case "gateway", "untuned", "nocheck" -> gateway;
        default -> backend;
      };
    }

    String wrk() {
      return wrk;
    }

    String describe() {
      return this == SPLIT
          ? "split (backend on CPU " + backend + "; gateways and wrk on CPU " + gateway + ")"
          : "shared (every server on CPU " + backend + "; wrk on CPU " + wrk + ")";
    }
  }

  /** Both paths must answer 200 with the same body, or the comparison means nothing. */
  private static String sameAnswer(String direct, String routed, String token)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String[] bodies = new String[2];
    String[] urls = {direct, routed};
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(urls[i]))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(urls[i] + " answered " + r.statusCode() + ": " + r.body());
      }
      bodies[i] = r.body();
    }
    if (!bodies[0].equals(bodies[1])) {
      throw new IllegalStateException(
          "the gateway answered differently from the service:\n" + bodies[0] + "\n" + bodies[1]);
    }
    return bodies[0];
  }

  /** A warm-up run whose figures are dropped, then the measured run. */
  private WrkResult measure(String target, String url, int connections, String token) {
    System.out.printf(
        Locale.ROOT,
        "%s, %d connection(s): %d s warm-up, %d s measured%n",
        target,
        connections,
        options.warmUpSeconds(),
        options.seconds());
    String cpus = options.layout().wrk();
    // A log per run: wrk logs are appended to, and the parser reads the first report in a file,
    // so a second run of the same target and connections needs a file of its own.
    String run = target + "-c" + connections;
    int nth = runsOf.merge(run, 1, Integer::sum);
    if (nth > 1) {
      run += "-run" + nth;
    }
    wrk(cpus, url, connections, options.warmUpSeconds(), token, run + "-w");
    CpuMeter.Snapshot before = cpu.snapshot();
    WrkResult result = WrkResult.parse(wrk(cpus, url, connections, options.seconds(), token, run));
    CpuMeter.Usage used = cpu.snapshot().since(before);
    cpuLines.add(
        String.format(Locale.ROOT, "  %-8s c=%-3d %s", target, connections, used.describe()));
    lastCpuPerRequest.clear();
    StringBuilder perRequest = new StringBuilder();
    if (result.requests() > 0) {
      for (Map.Entry<String, Double> e : used.seconds().entrySet()) {
        if (e.getKey().startsWith("machine")
            || e.getKey().equals("driver")
            || e.getValue() < 0.05) {
          continue;
        }
        double ms = 1000 * e.getValue() / result.requests();
        lastCpuPerRequest.put(e.getKey(), ms);
        perRequest
            .append(perRequest.length() == 0 ? "" : ", ")
            .append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), ms));
      }
    }
    perRequestLines.add(
        String.format(Locale.ROOT, "  %-8s c=%-3d %s", target, connections, perRequest));
    System.out.println("  " + result);
    return result;
  }

  private final Map<String, Double> lastCpuPerRequest = new java.util.LinkedHashMap<>();
  private final Map<String, Integer> runsOf = new java.util.HashMap<>();

  /** Runs wrk, on {@code cpus} when given (taskset), and returns its report. */
  private String wrk(
      String cpus, String url, int connections, int seconds, String token, String name) {
    return finishWrk(startWrk(cpus, url, connections, seconds, token, name), seconds);
  }

  private ChildProcess startWrk(
      String cpus, String url, int connections, int seconds, String token, String name) {
    List<String> command = new ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.addAll(
        List.of(
            "wrk",
            "-t1",
            "-c" + connections,
            "-d" + seconds + "s",
            "--latency",
            "-H",
            "Authorization: Bearer " + token,
            url));
    return ChildProcess.start("wrk-" + name, command, options.logDir());
  }

  private static String finishWrk(ChildProcess wrk, int seconds) {
    int exit = wrk.waitFor(Duration.ofSeconds(seconds + 60L));
    try {
      String output = Files.readString(wrk.log());
      if (exit != 0) {
        throw new IllegalStateException("wrk exited with " + exit + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("could not read " + wrk.log(), e);
    }
  }

  private record Pair(int connections, int round, WrkResult direct, WrkResult gateway) {
    double ratio() {
      return gateway.requestsPerSecond() / direct.requestsPerSecond();
    }

    double addedP50() {
      return gateway.p50Millis() - direct.p50Millis();
    }

    double addedP99() {
      return gateway.p99Millis() - direct.p99Millis();
    }
  }

  private void print(
      List<Pair> pairs,
      Map<String, WrkResult> variants,
      Map<String, Double> gatewayCpuPerRequest,
      int bodyBytes,
      Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("\n== Runnel gateway benchmark, ").append(LocalDate.now()).append(" ==\n");
    out.append("machine:  ").append(Machine.describe()).append('\n');
    out.append("load:     ").append(loadAverage()).append('\n');
    out.append("layout:   ").append(options.layout().describe()).append('\n');
    out.append("pinning:  after the JIT warm-up (unpinned, ")
        .append(options.jitSeconds())
        .append(" s at 32 connections through the gateways): ")
        .append(pinned)
        .append("; every measured wrk run on CPU ")
        .append(options.layout().wrk())
        .append('\n');
    if (!options.gatewayArgs().isEmpty()) {
      out.append("gateway:  ").append(String.join(" ", options.gatewayArgs())).append('\n');
    }
    out.append(
        String.format(
            Locale.ROOT,
            "request:  GET %s with a bearer token (%d categories, %d-byte body), wrk -t1, %d s"
                + " warm-up + %d s measured per row\n\n",
            PATH,
            options.categories(),
            bodyBytes,
            options.warmUpSeconds(),
            options.seconds()));
    out.append(
        String.format(
            Locale.ROOT,
            "%5s %12s %12s %7s %9s %9s %9s %9s %9s %9s %7s\n",
            "conns",
            "direct r/s",
            "gateway r/s",
            "ratio",
            "dir p50",
            "dir p99",
            "gw p50",
            "gw p99",
            "+p50",
            "+p99",
            "errors"));
    for (Pair p : pairs) {
      out.append(
          String.format(
              Locale.ROOT,
              "%5s %12s %12s %7.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7d\n",
              p.connections() + (options.rounds() > 1 ? "/" + p.round() : ""),
              String.format(Locale.ROOT, "%,.0f", p.direct().requestsPerSecond()),
              String.format(Locale.ROOT, "%,.0f", p.gateway().requestsPerSecond()),
              p.ratio(),
              p.direct().p50Millis(),
              p.direct().p99Millis(),
              p.gateway().p50Millis(),
              p.gateway().p99Millis(),
              p.addedP50(),
              p.addedP99(),
              p.direct().errors() + p.gateway().errors()));
    }
    if (options.rounds() > 1) {
      for (int connections : options.connections()) {
        List<Pair> rounds = pairs.stream().filter(p -> p.connections() == connections).toList();
        out.append(
            String.format(
                Locale.ROOT,
                "%5s %12s %12s %7.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7s\n",
                connections + " mean",
                String.format(
                    Locale.ROOT, "%,.0f", mean(rounds, p -> p.direct().requestsPerSecond())),
                String.format(
                    Locale.ROOT, "%,.0f", mean(rounds, p -> p.gateway().requestsPerSecond())),
                mean(rounds, Pair::ratio),
                mean(rounds, p -> p.direct().p50Millis()),
                mean(rounds, p -> p.direct().p99Millis()),
                mean(rounds, p -> p.gateway().p50Millis()),
                mean(rounds, p -> p.gateway().p99Millis()),
                mean(rounds, Pair::addedP50),
                mean(rounds, Pair::addedP99),
                ""));
      }
    }
    out.append(
        "\nlatencies in ms from wrk --latency; ratio = gateway r/s over direct r/s (direct is the"
            + " yardstick, run\nin the same run); +p50/+p99 = gateway minus direct. Rows n/r are"
            + " round r at n\nconnections (odd rounds direct first, even rounds gateway first);"
            + " 'mean' rows are the mean of\neach column over the rounds, and the verdicts use"
            + " them.\n");
    if (!variants.isEmpty()) {
      out.append(
          "\ngateway variants, same jar, 32 connections (untuned = token cache off and every"
              + " request traced,\nas before; nocheck = no token check at the gateway, the"
              + " service still checks):\n");
      out.append(
          String.format(
              Locale.ROOT,
              "%-9s %10s %9s %9s %16s %7s\n",
              "gateway",
              "r/s",
              "p50",
              "p99",
              "gw CPU ms/req",
              "errors"));
      variants.forEach(
          (name, r) ->
              out.append(
                  String.format(
                      Locale.ROOT,
                      "%-9s %10s %9.2f %9.2f %16.3f %7d\n",
                      name.equals("gateway") ? "shipped" : name,
                      String.format(Locale.ROOT, "%,.0f", r.requestsPerSecond()),
                      r.p50Millis(),
                      r.p99Millis(),
                      gatewayCpuPerRequest.get(name),
                      r.errors())));
    }
    out.append("\nCPU seconds by process during each measured run:\n");
    cpuLines.forEach(l -> out.append(l).append('\n'));
    out.append("\nCPU milliseconds per request by process (CPU seconds / requests of the row):\n");
    perRequestLines.forEach(l -> out.append(l).append('\n'));
    out.append("\ntargets (at 32 connections):\n");
    List<Pair> at32 = pairs.stream().filter(p -> p.connections() == 32).toList();
    if (!at32.isEmpty()) {
      double ratio = mean(at32, Pair::ratio);
      double addedP50 = mean(at32, Pair::addedP50);
      out.append(
          verdict(
              ratio >= TARGET_RATIO,
              String.format(
                  Locale.ROOT,
                  "issue 2: gateway >= 50 %% of direct throughput (measured %.0f %%%s)",
                  100 * ratio,
                  at32.size() > 1 ? ", mean of " + at32.size() + " rounds" : "")));
      out.append(
          verdict(
              addedP50 <= TARGET_ADDED_P50_MS,
              String.format(
                  Locale.ROOT,
                  "issue 2: added p50 <= 1 ms (measured %.2f ms%s)",
                  addedP50,
                  at32.size() > 1 ? ", mean of " + at32.size() + " rounds" : "")));
    }
    if (!variants.isEmpty()) {
      double check = gatewayCpuPerRequest.get("gateway");
      double noCheck = gatewayCpuPerRequest.get("nocheck");
      double capacityRatio = noCheck / check;
      double throughputRatio =
          variants.get("gateway").requestsPerSecond() / variants.get("nocheck").requestsPerSecond();
      out.append(
          verdict(
              capacityRatio >= TARGET_TOKEN_CHECK_RATIO,
              String.format(
                  Locale.ROOT,
                  "issue 4: gateway throughput with token check >= 90 %% of without (capacity"
                      + " from the gateway's CPU per request: %.0f %%; measured r/s ratio %.0f %%)",
                  100 * capacityRatio,
                  100 * throughputRatio)));
      double untuned = gatewayCpuPerRequest.get("untuned");
      out.append(
          String.format(
              Locale.ROOT,
              "  info gateway CPU per request: %.3f ms shipped vs %.3f ms untuned (%+.0f %%)\n",
              check,
              untuned,
              100 * (check - untuned) / untuned));
    }
    out.append(String.format(Locale.ROOT, "\nwall time %.0f s\n", took.toMillis() / 1000.0));
    System.out.print(out);
  }

  /** The mean of one figure over the rounds. */
  private static double mean(List<Pair> rounds, java.util.function.ToDoubleFunction<Pair> figure) {
    return rounds.stream().mapToDouble(figure).average().orElse(Double.NaN);
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return "load average " + parts[0] + " " + parts[1] + " " + parts[2] + " at the end";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String verdict(boolean met, String what) {
    return "  " + (met ? "MET " : "MISS") + " " + what + "\n";
  }

  /** The CPUs this process may run on, as the kernel reports them (set by the script's taskset). */
  private static String allowedCpus(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
          .filter(l -> l.startsWith("Cpus_allowed_list"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Which server a process is; wrk is left out, as it ends before it could be counted. */
  private Optional<String> component(ProcessHandle p) {
    if (postgresProcesses != null && postgresProcesses.contains(p)) {
      return Optional.of("postgres");
    }
    // Other engineers may run brokers and services on the same machine: only count ours.
    if (!CpuMeter.isOurs(p)) {
      return Optional.empty();
    }
    String line = CpuMeter.commandLine(p);
    if (line.contains("KafkaBrokerMain") || line.contains("KafkaServerMain")) {
      return Optional.of("broker");
    }
    for (String token : line.split(" ")) {
      if (token.startsWith(ROLE)) {
        return Optional.of(token.substring(ROLE.length()));
      }
    }
    return Optional.empty();
  }

  /**
   * @param marketJar market-service's runnable jar
   * @param gatewayJar the gateway's runnable jar
   * @param connections the wrk connection counts to measure, each direct and through the gateway
   * @param seconds measured duration of each wrk run
   * @param warmUpSeconds duration of the unmeasured wrk run before each measured one
   * @param jitSeconds duration of the unmeasured run through the gateways (so through the service)
   *     before all others
   * @param jfr record the services with Java Flight Recorder, to see where their time goes
   * @param layout which CPU each process is pinned to after the JIT warm-up
   * @param variants also measure the untuned and nocheck gateways at 32 connections
   * @param rounds direct/gateway pairs measured per connection count, alternating which goes first
   * @param gatewayArgs extra arguments for every gateway ({@code --key=value})
   * @param categories categories created before the runs, so the list is not empty
   * @param logDir where the child processes and wrk write their output
   */
  record Options(
      Path marketJar,
      Path gatewayJar,
      List<Integer> connections,
      int seconds,
      int warmUpSeconds,
      int jitSeconds,
      boolean jfr,
      Layout layout,
      boolean variants,
      int rounds,
      List<String> gatewayArgs,
      int categories,
      Path logDir) {

    static Options parse(String[] args) {
      Path market = null;
      Path gateway = null;
      List<Integer> connections = List.of(1, 32);
      int seconds = 15;
      int warmUp = 5;
      int jit = 240;
      boolean jfr = false;
      Layout layout = Layout.SPLIT;
      boolean variants = true;
      int rounds = 4;
      List<String> gatewayArgs = new ArrayList<>();
      int categories = 20;
      Path logDir = Path.of("bench/target/gateway-logs");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--market-jar" -> market = Path.of(args[++i]);
          case "--gateway-jar" -> gateway = Path.of(args[++i]);
          case "--connections" ->
              connections =
                  java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
          case "--duration" -> seconds = Integer.parseInt(args[++i]);
          case "--warmup" -> warmUp = Integer.parseInt(args[++i]);
          case "--jit-warmup" -> jit = Integer.parseInt(args[++i]);
          case "--jfr" -> jfr = true;
          case "--layout" -> layout = Layout.valueOf(args[++i].toUpperCase(Locale.ROOT));
          case "--no-variants" -> variants = false;
          case "--rounds" -> rounds = Integer.parseInt(args[++i]);
          case "--gateway-arg" -> gatewayArgs.add(args[++i]);
          case "--categories" -> categories = Integer.parseInt(args[++i]);
          case "--logs" -> logDir = Path.of(args[++i]);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; known: --market-jar JAR --gateway-jar JAR --connections 1,32"
                      + " --duration S --warmup S --jit-warmup S --jfr --layout split|shared"
                      + " --no-variants --rounds N --gateway-arg --key=value --categories N --logs DIR");
        }
      }
      if (market == null || gateway == null) {
        throw new IllegalArgumentException("--market-jar and --gateway-jar are required");
      }
      if (seconds < 1 || warmUp < 1 || jit < 1 || seconds > 120 || warmUp > 60 || jit > 300) {
        throw new IllegalArgumentException(
            "--duration 1..120, --warmup 1..60 and --jit-warmup 1..300 seconds");
      }
      if (rounds < 1 || rounds > 8) {
        throw new IllegalArgumentException("--rounds 1..8 (even counts cancel a steady drift)");
      }
      if (variants && !connections.contains(32)) {
        throw new IllegalArgumentException(
            "the gateway variants are measured at 32 connections: keep 32 in --connections or"
                + " add --no-variants");
      }
      return new Options(
          market,
          gateway,
          connections,
          seconds,
          warmUp,
          jit,
          jfr,
          layout,
          variants,
          rounds,
          List.copyOf(gatewayArgs),
          categories,
          logDir);
    }
  }
}
