package dev.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The access matrix of one service (BOLA/BFLA): for every operation of its OpenAPI document, the
 * status each kind of caller gets, on an object of the team {@link #OWN_TEAM}.
 *
 * <p>{@link #assertComplete} fails when the service has an operation without a row (a new endpoint
 * must say who may call it) or a row for an operation it no longer has; {@link #assertHolds} calls
 * every row as every caller with a real signed token ({@link TestTokens}) and compares statuses.
 * Rows whose call changes state get a fresh object per caller through their path factory.
 */
public final class AccessMatrix {
  /** The team the matrix's objects belong to. */
  public static final String OWN_TEAM = "matrix-own";

  /** Another team, whose admin must not see the own team's objects. */
  public static final String OTHER_TEAM = "matrix-other";

  /** Who calls. */
  public enum Caller {
    PLATFORM_ADMIN,
    PLATFORM_AUDITOR,
    TEAM_ADMIN,
    TEAM_MEMBER,
    TEAM_VIEWER,
    /** team-admin of {@link #OTHER_TEAM}: another team's object is 404 to them. */
    OTHER_TEAM_ADMIN,
    /** A valid token with no platform or team role. */
    NO_ROLE,
    /** No token at all. */
    ANONYMOUS;

    String token() {
      TestTokens.Token t = TestTokens.get().user(username(this));
      return switch (this) {
        case PLATFORM_ADMIN -> t.platformRole("platform-admin").mint();
        case PLATFORM_AUDITOR -> t.platformRole("platform-auditor").mint();
        case TEAM_ADMIN -> t.teamRole(OWN_TEAM, "team-admin").mint();
        case TEAM_MEMBER -> t.teamRole(OWN_TEAM, "team-member").mint();
        case TEAM_VIEWER -> t.teamRole(OWN_TEAM, "team-viewer").mint();
        case OTHER_TEAM_ADMIN -> t.teamRole(OTHER_TEAM, "team-admin").mint();
        case NO_ROLE -> t.mint();
        case ANONYMOUS -> null;
      };
    }
  }

  /** One operation: how to call it and what each caller gets. */
  public static final class Row {
    private final HttpMethod method;
    private final String template;
    private Function<Caller, String> path;
    private Function<Caller, String> body = caller -> null;
    private final Map<Caller, Integer> expected = new EnumMap<>(Caller.class);

    private Row(HttpMethod method, String template) {
      this.method = method;
      this.template = template;
      this.path = caller -> template;
    }

    /** The concrete path; called once per caller, so it may create a fresh object each time. */
    public Row path(Function<Caller, String> path) {
      this.path = path;
      return this;
    }

    /** A fixed concrete path. */
    public Row path(String path) {
      return path(caller -> path);
    }

    /** A JSON body, the same for every caller. */
    public Row body(String json) {
      this.body = caller -> json;
      return this;
    }

    /** A JSON body per caller (for example a unique name each time). */
    public Row body(Function<Caller, String> json) {
      this.body = json;
      return this;
    }

    public Row expect(Caller caller, int status) {
      expected.put(caller, status);
      return this;
    }

    /** The status of every caller not named yet. */
    public Row otherwise(int status) {
      for (Caller c : Caller.values()) {
        expected.putIfAbsent(c, status);
      }
      return this;
    }

    String key() {
      return method.name() + " " + template;
    }
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final Set<String> excluded = new TreeSet<>();
  private TopicRecorder denials;
  private String denialType;

  /**
   * Also checks that every denial is an event the audit trail can record: after the calls, each
   * 403, and each 404 to {@link Caller#OTHER_TEAM_ADMIN} or {@link Caller#NO_ROLE} (another team's
   * object), must have a {@code runnel.<service>.access.denied.v1} event on the service's topic
   * with the caller as actor, the path as subject and the status in its data, valid against its
   * schema.
   */
  public AccessMatrix recordsDenials(TopicRecorder topic, String service) {
    this.denials = topic;
    this.denialType = "runnel." + service + ".access.denied.v1";
    return this;
  }

  /** The user name the matrix's token for this caller carries. */
  public static String username(Caller caller) {
    return "matrix-" + caller.name().toLowerCase(Locale.ROOT);
  }

  private static boolean isDenial(Caller caller, int status) {
    return status == 403
        || (status == 404 && (caller == Caller.OTHER_TEAM_ADMIN || caller == Caller.NO_ROLE));
  }

  private record ExpectedDenial(String what, String actor, String method, String path, int status) {
    boolean matches(TopicRecorder.Message m, String type) {
      if (!type.equals(m.type())
          || !actor.equals(m.header("ce_actor"))
          || !path.equals(m.subject())) {
        return false;
      }
      JsonNode data = JsonMapper.builder().build().readTree(m.value());
      return data.path("status").asInt() == status && method.equals(data.path("method").asString());
    }
  }

  /** A row for the operation {@code method template} as the OpenAPI document names it. */
  public Row row(String method, String template) {
    Row row = new Row(HttpMethod.valueOf(method), template);
    if (rows.putIfAbsent(row.key(), row) != null) {
      throw new IllegalArgumentException("two rows for " + row.key());
    }
    return row;
  }

  /**
   * Leaves an operation out, with the reason (for example the login flow, or an operation tested
   * with its own access rules elsewhere).
   */
  public AccessMatrix exclude(String method, String template, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an excluded operation needs a reason");
    }
    excluded.add(method.toUpperCase(Locale.ROOT) + " " + template);
    return this;
  }

  /**
   * Every operation of the service's {@code /v3/api-docs} has a row, and every row an operation.
   */
  public void assertComplete(WebTestClient client) {
    // springdoc builds the document on the first request: seconds on a busy machine.
    byte[] doc =
        client
            .mutate()
            .responseTimeout(Duration.ofMinutes(2))
            .build()
            .get()
            .uri("/v3/api-docs")
            .headers(h -> h.setBearerAuth(Caller.PLATFORM_ADMIN.token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode paths = JsonMapper.builder().build().readTree(doc).path("paths");
    Set<String> operations = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      for (String m : List.of("get", "post", "put", "patch", "delete")) {
        if (path.getValue().has(m)) {
          operations.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
        }
      }
    }
    Set<String> missing = new TreeSet<>(operations);
    missing.removeAll(rows.keySet());
    missing.removeAll(excluded);
    Set<String> stale = new TreeSet<>(rows.keySet());
    stale.removeAll(operations);
    assertThat(missing).as("operations without a row in the access matrix").isEmpty();
    assertThat(stale).as("rows for operations the service does not have").isEmpty();
  }

  /** Calls every row as every caller and compares the statuses; reports every mismatch at once. */
  public void assertHolds(WebTestClient webClient) {
    WebTestClient client =
        webClient
            .mutate()
            .responseTimeout(Duration.ofSeconds(60))
            // Chart details (README, values) and packages are larger than the default 256 KiB.
            .codecs(c -> c.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
            .build();
    List<String> mismatches = new ArrayList<>();
    List<ExpectedDenial> expectedDenials = new ArrayList<>();
    for (Row row : rows.values()) {
      for (Caller caller : Caller.values()) {
        Integer expected = row.expected.get(caller);
        if (expected == null) {
          mismatches.add(row.key() + " has no expectation for " + caller);
          continue;
        }
        String token = caller.token();
        String body = row.body.apply(caller);
        String path = row.path.apply(caller);
        WebTestClient.RequestBodySpec request =
            client
                .method(row.method)
                .uri(path)
                .headers(
                    h -> {
                      if (token != null) {
                        h.setBearerAuth(token);
                      }
                    });
        WebTestClient.RequestHeadersSpec<?> ready =
            body == null
                ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        EntityExchangeResult<byte[]> result = ready.exchange().expectBody().returnResult();
        int actual = result.getStatus().value();
        if (actual != expected) {
          byte[] response = result.getResponseBody();
          mismatches.add(
              row.key()
                  + " as "
                  + caller
                  + ": expected "
                  + expected
                  + ", got "
                  + actual
                  + (response == null ? "" : " " + new String(response)));
        } else if (denials != null && isDenial(caller, actual)) {
          int query = path.indexOf('?');
          expectedDenials.add(
              new ExpectedDenial(
                  row.key() + " as " + caller,
                  username(caller),
                  row.method.name(),
                  query < 0 ? path : path.substring(0, query),
                  actual));
        }
      }
    }
    assertThat(mismatches).as("access matrix mismatches").isEmpty();
    if (denials != null) {
      assertDenialsRecorded(expectedDenials);
    }
  }

  /** Waits once for all expected denial events (they are written before the answer leaves). */
  private void assertDenialsRecorded(List<ExpectedDenial> expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<ExpectedDenial> missing = new ArrayList<>(expected);
    while (true) {
      List<TopicRecorder.Message> seen = denials.messages();
      missing.removeIf(
          e -> {
            for (TopicRecorder.Message m : seen) {
              if (e.matches(m, denialType)) {
                EventSchemas.assertValid(denialType, m.value());
                return true;
              }
            }
            return false;
          });
      if (missing.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for denial events", e);
      }
    }
    assertThat(missing.stream().map(ExpectedDenial::what).toList())
        .as("denials without a " + denialType + " event")
        .isEmpty();
  }
}
