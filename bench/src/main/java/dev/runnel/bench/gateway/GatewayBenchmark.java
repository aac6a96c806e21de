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
 * the same run, on {@code GET /api/market/v1/categories} with a bearer token that both validate.
 *
 * <p>After a JIT warm-up on every core, the driver pins itself and every server (PostgreSQL, the
 * broker, both services) to the server CPUs and runs each measured wrk on another, so that the load
 * generator does not take CPU from the servers it measures.
 */
public final class GatewayBenchmark {
  private static final String PATH = "/api/market/v1/categories";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final double TARGET_RATIO = 0.5;
  private static final double TARGET_ADDED_P50_MS = 1.0;

  private final Options options;
  private final CpuMeter cpu = new CpuMeter(this::component);
  private final List<String> cpuLines = new ArrayList<>();
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
    List<String> gatewayArgs = new ArrayList<>(jwt);
    gatewayArgs.addAll(
        List.of(
            "--server.address=127.0.0.1",
            "--server.port=" + gatewayPort,
            "--runnel.gateway.services.market.uri=http://127.0.0.1:" + marketPort));

    System.out.println("starting market-service and the gateway ...");
    ChildProcess market = startJar("market-service", options.marketJar(), marketArgs);
    ChildProcess gateway = startJar("gateway", options.gatewayJar(), gatewayArgs);
    try {
      market.awaitHttpOk(health(marketPort), READY_TIMEOUT);
      gateway.awaitHttpOk(health(gatewayPort), READY_TIMEOUT);

      String direct = "http://127.0.0.1:" + marketPort + PATH;
      String routed = "http://127.0.0.1:" + gatewayPort + PATH;
      seedCategories("http://127.0.0.1:" + marketPort + PATH, tokens.admin());
      // Anyone signed in may list categories: a plain user's token, as the console would send.
      String token = tokens.user("bench").mint();
      String body = sameAnswer(direct, routed, token);

      // Compiling two Spring applications takes the JIT minutes of CPU. Pinned to one shared core
      // from the start, C2 still took over half of market-service's CPU in the measured rows, so
      // the servers warm up unpinned, on every core, and are pinned after.
      System.out.printf(
          Locale.ROOT,
          "JIT warm-up: %d s through the gateway at 32 connections, nothing pinned yet%n",
          options.jitSeconds());
      wrk(null, routed, 32, options.jitSeconds(), token, "jit-warmup");
      pinned = pin();
      List<Pair> pairs = new ArrayList<>();
      for (int connections : options.connections()) {
        WrkResult d = measure("direct", direct, connections, token);
        WrkResult g = measure("gateway", routed, connections, token);
        pairs.add(new Pair(connections, d, g));
      }
      print(pairs, body.length(), postgres, Duration.ofNanos(System.nanoTime() - started));
    } finally {
      // Services first, so that they do not log the database and broker going away under them.
      gateway.stop(Duration.ofSeconds(20));
      market.stop(Duration.ofSeconds(20));
    }
  }

  private ChildProcess startJar(String name, Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A bounded heap like the others; everything else is the JVM's choice for the pinned core.
    command.add("-Xmx512m");
    if (options.jfr()) {
      command.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + options.logDir().toAbsolutePath().resolve(name + ".jfr"));
    }
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return ChildProcess.start(name, command, options.logDir());
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
   * Pins the driver, the servers and every thread they have to the server CPUs, as {@code taskset
   * -a -p} by hand would, and returns what was pinned as the kernel reports it. PostgreSQL backends
   * forked later inherit the postmaster's affinity.
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
      ChildProcess taskset =
          ChildProcess.start(
              "taskset-" + p.pid(),
              List.of("taskset", "-a", "-p", "-c", options.serverCpus(), Long.toString(p.pid())),
              options.logDir());
      if (taskset.waitFor(Duration.ofSeconds(10)) != 0) {
        throw new IllegalStateException("could not pin " + p.pid() + "; see " + taskset.log());
      }
      String name = p.pid() == ProcessHandle.current().pid() ? "driver" : component(p).get();
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
    String cpus = options.wrkCpu();
    wrk(cpus, url, connections, options.warmUpSeconds(), token, target + "-c" + connections + "-w");
    CpuMeter.Snapshot before = cpu.snapshot();
    WrkResult result =
        WrkResult.parse(
            wrk(cpus, url, connections, options.seconds(), token, target + "-c" + connections));
    cpuLines.add(
        String.format(
            Locale.ROOT,
            "  %-8s c=%-3d %s",
            target,
            connections,
            cpu.snapshot().since(before).describe()));
    System.out.println("  " + result);
    return result;
  }

  /** Runs wrk, on {@code cpus} when given (taskset), and returns its report. */
  private String wrk(
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
    ChildProcess wrk = ChildProcess.start("wrk-" + name, command, options.logDir());
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

  private record Pair(int connections, WrkResult direct, WrkResult gateway) {
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

  private void print(List<Pair> pairs, int bodyBytes, TestPostgres postgres, Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("\n== Runnel gateway benchmark, ").append(LocalDate.now()).append(" ==\n");
    out.append("machine:  ").append(Machine.describe()).append('\n');
    out.append("pinning:  after the JIT warm-up (unpinned, ")
        .append(options.jitSeconds())
        .append(" s at 32 connections through the gateway): ")
        .append(pinned)
        .append("; every measured wrk run on CPU ")
        .append(options.wrkCpu())
        .append('\n');
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
              "%5d %12s %12s %7.2f %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %7d\n",
              p.connections(),
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
    out.append(
        "\nlatencies in ms from wrk --latency; ratio = gateway r/s over direct r/s (direct is the"
            + " yardstick, run\nin the same run); +p50/+p99 = gateway minus direct.\n");
    out.append("\nCPU seconds by process during each measured run:\n");
    cpuLines.forEach(l -> out.append(l).append('\n'));
    out.append("\ntargets (at 32 connections):\n");
    pairs.stream()
        .filter(p -> p.connections() == 32)
        .forEach(
            p -> {
              out.append(
                  verdict(
                      p.ratio() >= TARGET_RATIO,
                      String.format(
                          Locale.ROOT,
                          "gateway >= 50 %% of direct throughput (measured %.0f %%)",
                          100 * p.ratio())));
              out.append(
                  verdict(
                      p.addedP50() <= TARGET_ADDED_P50_MS,
                      String.format(
                          Locale.ROOT, "added p50 <= 1 ms (measured %.2f ms)", p.addedP50())));
            });
    out.append(String.format(Locale.ROOT, "\nwall time %.0f s\n", took.toMillis() / 1000.0));
    System.out.print(out);
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
    if (line.contains(options.marketJar().getFileName().toString())) {
      return Optional.of("market");
    }
    if (line.contains(options.gatewayJar().getFileName().toString())) {
      return Optional.of("gateway");
    }
    return Optional.empty();
  }

  /**
   * @param marketJar market-service's runnable jar
   * @param gatewayJar the gateway's runnable jar
   * @param connections the wrk connection counts to measure, each direct and through the gateway
   * @param seconds measured duration of each wrk run
   * @param warmUpSeconds duration of the unmeasured wrk run before each measured one
   * @param jitSeconds duration of the unmeasured run through the gateway (so through both services)
   *     before all others
   * @param jfr record both services with Java Flight Recorder, to see where their time goes
   * @param serverCpus the CPU list the servers are pinned to after the JIT warm-up
   * @param wrkCpu the CPU list wrk is pinned to ({@code taskset -c})
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
      String serverCpus,
      String wrkCpu,
      int categories,
      Path logDir) {

    static Options parse(String[] args) {
      Path market = null;
      Path gateway = null;
      List<Integer> connections = List.of(1, 32);
      int seconds = 15;
      int warmUp = 5;
      int jit = 120;
      boolean jfr = false;
      String serverCpus = "0";
      String wrkCpu = "1";
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
          case "--wrk-cpu" -> wrkCpu = args[++i];
          case "--server-cpu" -> serverCpus = args[++i];
          case "--categories" -> categories = Integer.parseInt(args[++i]);
          case "--logs" -> logDir = Path.of(args[++i]);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; known: --market-jar JAR --gateway-jar JAR --connections 1,32"
                      + " --duration S --warmup S --jit-warmup S --jfr --server-cpu N --wrk-cpu N"
                      + " --categories N"
                      + " --logs DIR");
        }
      }
      if (market == null || gateway == null) {
        throw new IllegalArgumentException("--market-jar and --gateway-jar are required");
      }
      if (seconds < 1 || warmUp < 1 || jit < 1 || seconds > 120 || warmUp > 60 || jit > 120) {
        throw new IllegalArgumentException(
            "--duration 1..120, --warmup 1..60 and --jit-warmup 1..120 seconds");
      }
      return new Options(
          market,
          gateway,
          connections,
          seconds,
          warmUp,
          jit,
          jfr,
          serverCpus,
          wrkCpu,
          categories,
          logDir);
    }
  }
}
