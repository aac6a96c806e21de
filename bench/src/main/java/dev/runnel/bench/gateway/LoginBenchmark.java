package dev.runnel.bench.gateway;

import dev.runnel.bench.stats.Percentiles;
import dev.runnel.bench.support.ChildProcess;
import dev.runnel.bench.support.CpuMeter;
import dev.runnel.bench.support.Machine;
import dev.runnel.bench.support.PostgresProcesses;
import dev.runnel.testkit.KafkaBroker;
import dev.runnel.testkit.TestKeycloak;
import dev.runnel.testkit.TestPostgres;
import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Login round trip through the gateway's BFF against the real Keycloak server: for each login a new
 * browser (no cookies) opens {@code /login}, follows the redirect to Keycloak's login page, posts
 * the credentials, follows Keycloak's redirect back to the gateway's callback (code exchange with
 * PKCE, session cookie) and on to {@code /api/session}, then makes its first API call with the
 * session cookie only ({@code GET /api/market/v1/categories}, relayed with the session's token to
 * market-service, which validates it). Logins run one after the other.
 *
 * <p>The scale reference is Keycloak's sizing guide: about 15 password logins per second per vCPU.
 * The driver measures Keycloak's own CPU per login, which gives the logins per second one vCPU of
 * Keycloak would sustain here, comparable with that figure whatever else the machine is doing.
 */
public final class LoginBenchmark {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(600);
  private static final double KEYCLOAK_REFERENCE_LOGINS_PER_VCPU = 15;
  private static final Pattern LOGIN_FORM =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
  private static final Pattern SECURE =
      Pattern.compile(";\\s*Secure(?=;|$)", Pattern.CASE_INSENSITIVE);
  private static final String ROLE = "-Drunnel.bench.role=";

  private final Path marketJar;
  private final Path gatewayJar;
  private final int logins;
  private final int warmUpLogins;
  private final Path logDir;
  private PostgresProcesses postgresProcesses;
  private final CpuMeter cpu = new CpuMeter(this::component);

  private LoginBenchmark(
      Path marketJar, Path gatewayJar, int logins, int warmUpLogins, Path logDir) {
    this.marketJar = marketJar;
    this.gatewayJar = gatewayJar;
    this.logins = logins;
    this.warmUpLogins = warmUpLogins;
    this.logDir = logDir;
  }

  public static void main(String[] args) {
    Path market = null;
    Path gateway = null;
    int logins = 100;
    int warmUp = 20;
    Path logs = Path.of("bench/target/gateway-login-logs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--market-jar" -> market = Path.of(args[++i]);
        case "--gateway-jar" -> gateway = Path.of(args[++i]);
        case "--logins" -> logins = Integer.parseInt(args[++i]);
        case "--warmup-logins" -> warmUp = Integer.parseInt(args[++i]);
        case "--logs" -> logs = Path.of(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; known: --market-jar JAR --gateway-jar JAR --logins N --warmup-logins N"
                    + " --logs DIR");
      }
    }
    if (market == null || gateway == null || logins < 1 || warmUp < 0) {
      throw new IllegalArgumentException(
          "--market-jar and --gateway-jar are required; --logins >= 1, --warmup-logins >= 0");
    }
    int status = 0;
    try {
      new LoginBenchmark(market, gateway, logins, warmUp, logs).run();
    } catch (Exception e) {
      System.out.println("the benchmark could not finish; logs are in " + logs);
      e.printStackTrace(System.out);
      status = 1;
    }
    System.exit(status);
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    int gatewayPort = ChildProcess.freePort();
    int marketPort = ChildProcess.freePort();
    String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
    // Keycloak's realm lets the gateway client redirect to this address only.
    System.setProperty(TestKeycloak.GATEWAY_BASE_URL_PROPERTY, gatewayUrl);
    System.out.println("starting embedded PostgreSQL, a KRaft broker and Keycloak ...");
    TestPostgres postgres = TestPostgres.get();
    postgresProcesses = new PostgresProcesses(postgres.port());
    String db = postgres.database("bench_login_market");
    KafkaBroker broker = KafkaBroker.startNew();
    TestKeycloak keycloak = TestKeycloak.get();
    String issuer = keycloak.issuer();
    List<String> jwt =
        List.of(
            "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
            "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri="
                + issuer
                + "/protocol/openid-connect/certs");
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
            "--runnel.gateway.services.market.uri=http://127.0.0.1:" + marketPort,
            "--runnel.gateway.login.client-secret=" + keycloak.gatewayClientSecret(),
            "--runnel.gateway.login.success-url=/api/session"));
    System.out.println("starting market-service and the gateway ...");
    ChildProcess market = startJar("market", marketJar, marketArgs);
    ChildProcess gateway = startJar("gateway", gatewayJar, gatewayArgs);
    try {
      market.awaitHttpOk(health(marketPort), READY_TIMEOUT);
      gateway.awaitHttpOk(health(gatewayPort), READY_TIMEOUT);

      String user = keycloak.adminUsername();
      String password = keycloak.adminPassword();
      System.out.printf(Locale.ROOT, "warm-up: %d logins%n", warmUpLogins);
      for (int i = 0; i < warmUpLogins; i++) {
        logIn(gatewayUrl, user, password);
      }
      System.out.printf(Locale.ROOT, "measured: %d logins, one after the other%n", logins);
      List<double[]> times = new ArrayList<>();
      CpuMeter.Snapshot before = cpu.snapshot();
      long measuredStart = System.nanoTime();
      for (int i = 0; i < logins; i++) {
        times.add(logIn(gatewayUrl, user, password));
      }
      double wallSeconds = (System.nanoTime() - measuredStart) / 1e9;
      CpuMeter.Usage used = cpu.snapshot().since(before);
      print(times, wallSeconds, used, Duration.ofNanos(System.nanoTime() - started));
    } finally {
      gateway.stop(Duration.ofSeconds(20));
      market.stop(Duration.ofSeconds(20));
    }
  }

  /**
   * One login by a browser with no cookies; returns the milliseconds of: the login page (gateway
   * {@code /login} to Keycloak's form), the credentials (post to Keycloak, back through the
   * gateway's callback to {@code /api/session}), the first API call, and the whole.
   */
  private static double[] logIn(String gateway, String user, String password) {
    CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new LoopbackIsSecure(jar))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    long t0 = System.nanoTime();
    HttpResponse<String> page =
        send(browser, HttpRequest.newBuilder(URI.create(gateway + "/login")));
    Matcher form = LOGIN_FORM.matcher(page.body());
    if (page.statusCode() != 200 || !form.find()) {
      throw new IllegalStateException(
          "no Keycloak login form after /login: HTTP " + page.statusCode() + " at " + page.uri());
    }
    long t1 = System.nanoTime();
    String body =
        "username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&credentialId=";
    HttpResponse<String> landed =
        send(
            browser,
            HttpRequest.newBuilder(page.uri().resolve(form.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (landed.statusCode() != 200 || !landed.uri().getPath().equals("/api/session")) {
      throw new IllegalStateException(
          "the login did not land on /api/session: HTTP "
              + landed.statusCode()
              + " at "
              + landed.uri());
    }
    long t2 = System.nanoTime();
    HttpResponse<String> api =
        send(
            browser,
            HttpRequest.newBuilder(URI.create(gateway + "/api/market/v1/categories"))
                .header("Accept", "application/json"));
    if (api.statusCode() != 200) {
      throw new IllegalStateException(
          "the first API call with the session answered " + api.statusCode() + ": " + api.body());
    }
    long t3 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6};
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void print(List<double[]> times, double wallSeconds, CpuMeter.Usage used, Duration took) {
    String[] steps = {
      "login page (/login -> Keycloak form)",
      "credentials -> callback -> session",
      "first API call with the session",
      "whole login round trip"
    };
    StringBuilder out = new StringBuilder();
    out.append("\n== Runnel login round trip through the gateway (BFF), ")
        .append(LocalDate.now())
        .append(" ==\n");
    out.append("machine:  ").append(Machine.describe()).append('\n');
    out.append("load:     ").append(loadAverage()).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "runs:     %d logins measured after %d warm-up, one at a time, each a new browser"
                + " (no cookies)\n\n",
            times.size(),
            warmUpLogins));
    out.append(String.format(Locale.ROOT, "%-38s %9s %9s %9s\n", "ms", "p50", "p95", "max"));
    for (int s = 0; s < steps.length; s++) {
      int step = s;
      Percentiles values = Percentiles.of(times.stream().mapToDouble(t -> t[step]).toArray());
      out.append(
          String.format(
              Locale.ROOT,
              "%-38s %9.1f %9.1f %9.1f\n",
              steps[s],
              values.at(50),
              values.at(95),
              values.max()));
    }
    out.append("\nCPU seconds by process during the measured logins:\n  ")
        .append(used.describe())
        .append('\n');
    int n = times.size();
    double keycloakSeconds = used.of("keycloak");
    out.append(
        String.format(
            Locale.ROOT,
            "CPU ms per login: keycloak %.1f, gateway %.1f, market %.1f\n",
            1000 * keycloakSeconds / n,
            1000 * used.of("gateway") / n,
            1000 * used.of("market") / n));
    double perVcpu = keycloakSeconds > 0 ? n / keycloakSeconds : Double.NaN;
    out.append(
        String.format(
            Locale.ROOT,
            "\nscale reference: Keycloak's sizing guide gives about %.0f password logins/s per"
                + " vCPU.\n  here: %.1f logins/s one after the other (%.2f s wall for %d);"
                + " Keycloak's CPU per login\n  gives %.1f logins/s per vCPU of Keycloak (%.0f %%"
                + " of the reference; each login here is\n  a whole authorization-code round trip"
                + " with PKCE, code exchange and a new SSO session)\n",
            KEYCLOAK_REFERENCE_LOGINS_PER_VCPU,
            n / wallSeconds,
            wallSeconds,
            n,
            perVcpu,
            100 * perVcpu / KEYCLOAK_REFERENCE_LOGINS_PER_VCPU));
    out.append(String.format(Locale.ROOT, "\nwall time %.0f s\n", took.toMillis() / 1000.0));
    System.out.print(out);
  }

  private ChildProcess startJar(String role, Path jar, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add(ROLE + role);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    return ChildProcess.start(role, command, logDir);
  }

  private static String health(int port) {
    return "http://127.0.0.1:" + port + "/actuator/health/readiness";
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return "load average " + parts[0] + " " + parts[1] + " " + parts[2] + " at the end";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private Optional<String> component(ProcessHandle p) {
    if (postgresProcesses != null && postgresProcesses.contains(p)) {
      return Optional.of("postgres");
    }
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
    if (line.contains("keycloak") || line.contains("quarkus")) {
      return Optional.of("keycloak");
    }
    return Optional.empty();
  }

  /**
   * Browsers treat {@code http://127.0.0.1} as a secure context and send {@code Secure} cookies to
   * it (Keycloak marks its login cookies so); Java's cookie manager does not, so this drops the
   * attribute on the way in.
   */
  private static final class LoopbackIsSecure extends CookieHandler {
    private final CookieManager delegate;

    LoopbackIsSecure(CookieManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers)
        throws IOException {
      return delegate.get(uri, headers);
    }

    @Override
    public void put(URI uri, Map<String, List<String>> headers) throws IOException {
      Map<String, List<String>> relaxed = new HashMap<>();
      headers.forEach(
          (name, values) ->
              relaxed.put(
                  name,
                  name != null && name.equalsIgnoreCase("Set-Cookie")
                      ? values.stream().map(v -> SECURE.matcher(v).replaceAll("")).toList()
                      : values));
      delegate.put(uri, relaxed);
    }
  }
}
