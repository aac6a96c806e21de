package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.embedded.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * `runnel up` as a newcomer runs it: the real command in its own process, starting PostgreSQL,
 * Kafka, Keycloak, the services and the gateway in a fresh data dir; the generated admin logs in
 * and calls the gateway; `runnel down` stops everything; a second `runnel up` finds the data.
 */
class RunnelUpIT {
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(8);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A running `runnel` process with its output collected line by line. */
  private static final class Cli {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Cli(List<String> args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Drunnel.home=" + System.getProperty("runnel.home"));
      command.add("-cp");
      command.add(
          System.getProperty("runnel.cli.jar") + ":" + System.getProperty("runnel.cli.lib") + "/*");
      command.add("dev.runnel.cli.Runnel");
      command.addAll(args);
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread reader =
          new Thread(
              () -> {
                try (Reader in =
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8);
                    BufferedReader lines = new BufferedReader(in)) {
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    this.lines.add(line);
                  }
                } catch (IOException e) {
                  this.lines.add("(output closed: " + e.getMessage() + ")");
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    void awaitLine(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "no line starting with '" + prefix + "'; output:\n" + String.join("\n", lines));
        }
        Thread.sleep(250);
      }
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            "runnel did not exit within " + timeout + ":\n" + String.join("\n", lines));
      }
      Thread.sleep(100); // let the reader drain the last lines
      return process.exitValue();
    }

    void awaitLineContaining(String text, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (lines.stream().noneMatch(l -> l.contains(text))) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "no line containing '" + text + "'; output:\n" + String.join("\n", lines));
        }
        Thread.sleep(250);
      }
    }

    String output() {
      return String.join("\n", lines);
    }
  }

  /**
   * Below the kernel's ephemeral range (32768-60999 on Linux), so that no other test's client
   * socket or port-0 server can take one of the stack's ports between the check and the bind.
   */
  private static int freeBase() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 32000);
      boolean free = true;
      for (int p = base; p < base + 16 && free; p++) {
        free = !Ports.inUse(p);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of 16 ports");
  }

  private static String login(String issuer, String user, String password) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&client_id=runnel-cli&scope=openid&username="
                            + user
                            + "&password="
                            + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("access_token").asString();
  }

  private static HttpResponse<String> gateway(int port, String path, String token, String jsonBody)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token);
    if (jsonBody != null) {
      b.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void upLoginCallDownUpAgainAndTheDataIsStillThere() throws Exception {
    Path data = Files.createTempDirectory("runnel-up-");
    int port = Ports.free();
    int base = freeBase();
    List<String> upArgs =
        List.of(
            "up",
            "--data-dir",
            data.toString(),
            "--port",
            String.valueOf(port),
            "--base-port",
            String.valueOf(base),
            "--nodes",
            "2");
    String category = "kept " + UUID.randomUUID();

    Cli up = new Cli(upArgs);
    try {
      up.awaitLine("Stop with Ctrl-C", UP_TIMEOUT);
      assertThat(up.output()).contains("Admin password").contains("shown once");

      Path credentials = data.resolve("credentials");
      assertThat(Files.getPosixFilePermissions(credentials))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      Properties secrets = new Properties();
      try (Reader in = Files.newBufferedReader(credentials)) {
        secrets.load(in);
      }
      String issuer = "http://127.0.0.1:" + (base + 3) + "/realms/runnel";
      String token = login(issuer, "admin", secrets.getProperty("admin.password"));

      HttpResponse<String> created =
          gateway(port, "/api/market/v1/categories", token, "{\"name\":\"" + category + "\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(gateway(port, "/api/market/v1/categories", "not-a-token", null).statusCode())
          .isEqualTo(401);

      Cli status = new Cli(List.of("status", "--data-dir", data.toString()));
      assertThat(status.awaitExit(Duration.ofMinutes(1))).as(status.output()).isZero();
      assertThat(status.output())
          .contains("gateway")
          .contains("market-service")
          .contains("kube-sandbox")
          .doesNotContain("DOWN");

      assertThat(up.output())
          .contains("Runnel is up")
          .contains("SIMULATED (kube-sandbox, 2 nodes")
          .contains(
              "registered with deploy-service as `local` (simulated, Kubernetes v1.31.4+k3s1, 2 nodes)");
      assertThat(Files.readString(data.resolve("kubeconfig")))
          .contains("http://127.0.0.1:" + (base + 4));
      HttpResponse<String> nodes =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + 4) + "/api/v1/nodes"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(nodes.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(nodes.body()).get("items").size()).isEqualTo(2);

      // The images may hold archives from an earlier run of the same build; then there is
      // nothing to write.
      if (up.output().contains("class-data archives: writing")) {
        // Written one at a time at low priority after the stack is up: about 4 minutes on a quiet
        // 2-core machine, more when it is shared.
        up.awaitLineContaining(" written", Duration.ofMinutes(12));
        assertThat(up.output()).containsPattern("class-data archives: (\\d) of \\1 written");
      }

      Cli down = new Cli(List.of("down", "--data-dir", data.toString()));
      assertThat(down.awaitExit(Duration.ofMinutes(1))).as(down.output()).isZero();
      assertThat(up.awaitExit(Duration.ofSeconds(45))).isZero();
      assertThat(Ports.inUse(port)).isFalse();
      assertThat(Ports.inUse(base)).as("PostgreSQL stopped").isFalse();
      assertThat(data.resolve("runnel.json")).doesNotExist();
    } finally {
      up.process.destroy();
      up.process.waitFor(60, TimeUnit.SECONDS);
    }

    Cli again = new Cli(upArgs);
    try {
      again.awaitLine("Stop with Ctrl-C", UP_TIMEOUT);
      assertThat(again.output())
          .contains("Admin password   in")
          .doesNotContain("shown once")
          .doesNotContain("class-data archives: writing");
      assertThat(mappedFiles(data, "market-service"))
          .as("the second start maps the archive the first one left")
          .contains("classes.jsa");
      Properties secrets = new Properties();
      try (Reader in = Files.newBufferedReader(data.resolve("credentials"))) {
        secrets.load(in);
      }
      String token =
          login(
              "http://127.0.0.1:" + (base + 3) + "/realms/runnel",
              "admin",
              secrets.getProperty("admin.password"));
      HttpResponse<String> list = gateway(port, "/api/market/v1/categories?limit=200", token, null);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).contains(category);

      aTeamMemberTheAdminCreatedSeesOnlyTheirTeam(port, base, token);
    } catch (AssertionError | RuntimeException failed) {
      printLogTails(data);
      throw failed;
    } finally {
      again.process.destroy();
      assertThat(again.awaitExit(Duration.ofSeconds(45))).isZero();
      deleteTree(data);
    }
  }

  /**
   * Issue 4's "done when" on the platform `runnel up` starts: the generated admin creates two teams
   * and a user in one of them; that user signs in and sees their team, not the other.
   */
  private static void aTeamMemberTheAdminCreatedSeesOnlyTheirTeam(int port, int base, String admin)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String blue = "blue-" + suffix;
    String green = "green-" + suffix;
    for (String team : List.of(blue, green)) {
      HttpResponse<String> created =
          gateway(
              port,
              "/api/identity/v1/teams",
              admin,
              "{\"name\":\"" + team + "\",\"displayName\":\"Team " + team + "\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
    String username = "ana-" + suffix;
    String password = "Ana-" + UUID.randomUUID() + "-9z";
    HttpResponse<String> user =
        gateway(
            port,
            "/api/identity/v1/users",
            admin,
            "{\"username\":\""
                + username
                + "\",\"email\":\""
                + username
                + "@example.com\",\"password\":\""
                + password
                + "\",\"temporaryPassword\":false}");
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    HttpResponse<String> member =
        gateway(
            port,
            "/api/identity/v1/teams/" + blue + "/members",
            admin,
            "{\"username\":\"" + username + "\",\"role\":\"team-member\"}");
    assertThat(member.statusCode()).as(member.body()).isBetween(200, 201);

    String ana = login("http://127.0.0.1:" + (base + 3) + "/realms/runnel", username, password);
    HttpResponse<String> teams = gateway(port, "/api/identity/v1/teams", ana, null);
    assertThat(teams.statusCode()).as(teams.body()).isEqualTo(200);
    assertThat(teams.body()).contains(blue).doesNotContain(green);
    assertThat(gateway(port, "/api/identity/v1/teams/" + green, ana, null).statusCode())
        .as("another team's object is not found")
        .isEqualTo(404);
    assertThat(gateway(port, "/api/identity/v1/teams/" + blue, ana, null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> instances = gateway(port, "/api/deploy/v1/instances", ana, null);
    assertThat(instances.statusCode()).as(instances.body()).isEqualTo(200);
    assertThat(
            gateway(
                    port,
                    "/api/identity/v1/teams",
                    ana,
                    "{\"name\":\"red-" + suffix + "\",\"displayName\":\"Red\"}")
                .statusCode())
        .as("a team member cannot create teams")
        .isEqualTo(403);
  }

  /** The memory map of a running component, from the pid `runnel up` recorded for it. */
  private static String mappedFiles(Path data, String component) throws IOException {
    for (var c : JSON.readTree(data.resolve("runnel.json").toFile()).get("components")) {
      if (c.get("name").asString().equals(component)) {
        return Files.readString(Path.of("/proc", c.get("pid").asString(), "maps"));
      }
    }
    throw new AssertionError(component + " is not in runnel.json");
  }

  /**
   * The end of every log of the stack, so that a failure in CI can be read without the data dir.
   */
  private static void printLogTails(Path data) throws IOException {
    Path logs = data.resolve("logs");
    if (!Files.isDirectory(logs)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(logs)) {
      for (Path log : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        System.err.println("==== last lines of " + log.getFileName() + " ====");
        lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.err::println);
      }
    }
  }

  /** Removes a data dir the test made; a stack that is still running would make this fail. */
  private static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aPortInUseIsRefusedBeforeAnythingStarts() throws Exception {
    Path data = Files.createTempDirectory("runnel-busy-");
    try (ServerSocket busy = new ServerSocket(0)) {
      Cli up =
          new Cli(
              List.of(
                  "up",
                  "--data-dir",
                  data.toString(),
                  "--port",
                  String.valueOf(busy.getLocalPort()),
                  "--base-port",
                  String.valueOf(freeBase())));
      assertThat(up.awaitExit(Duration.ofMinutes(1))).isEqualTo(1);
      assertThat(up.output())
          .contains("ports already in use")
          .contains("gateway needs 127.0.0.1:" + busy.getLocalPort());
      assertThat(data.resolve("runnel.json")).doesNotExist();
      assertThat(data.resolve("postgres")).doesNotExist();
    }
    deleteTree(data);
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Cli help = new Cli(List.of("--help"));
    assertThat(help.awaitExit(Duration.ofMinutes(1))).isZero();
    assertThat(help.output())
        .contains("up ")
        .contains("down ")
        .contains("status ")
        .contains("login ")
        .contains("token ");
  }
}
