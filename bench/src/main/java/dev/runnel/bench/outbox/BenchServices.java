package dev.runnel.bench.outbox;

import dev.runnel.bench.outbox.relay.BenchRelayApplication;
import dev.runnel.bench.outbox.sink.BenchSinkApplication;
import dev.runnel.bench.support.ChildProcess;
import dev.runnel.testkit.KafkaBroker;
import dev.runnel.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts the relay and the sink as their own JVMs, as two services would run. */
final class BenchServices {
  static final String RELAY_DB = "bench_relay";
  static final String SINK_DB = "bench_sink";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private final TestPostgres postgres;
  private final KafkaBroker broker;
  private final Path logDir;
  private final List<String> relayProperties;
  private final List<String> sinkProperties;
  private final boolean jfr;
  private final AtomicInteger relayStarts = new AtomicInteger();

  BenchServices(
      TestPostgres postgres,
      KafkaBroker broker,
      Path logDir,
      List<String> relayProperties,
      List<String> sinkProperties,
      boolean jfr) {
    this.postgres = postgres;
    this.broker = broker;
    this.logDir = logDir;
    this.relayProperties = List.copyOf(relayProperties);
    this.sinkProperties = List.copyOf(sinkProperties);
    this.jfr = jfr;
  }

  /** A service JVM and the loopback port of its HTTP server (for the readiness probe). */
  record Service(ChildProcess process, int port) {
    /** Ready: started, and its database and Kafka answer. */
    void awaitReady() {
      process.awaitHttpOk("http://127.0.0.1:" + port + "/actuator/health/readiness", READY_TIMEOUT);
    }

    /**
     * Started: the application context is up, so the relay loop runs, whether or not Kafka answers
     * yet (readiness would wait for a broker that is down on purpose).
     */
    void awaitStarted() {
      process.awaitHttpOk("http://127.0.0.1:" + port + "/actuator/health/liveness", READY_TIMEOUT);
    }
  }

  /** Launches a relay without waiting for it; each start gets its own log file. */
  Service launchRelay() {
    int port = ChildProcess.freePort();
    List<String> args = common("bench", RELAY_DB, port);
    args.addAll(relayProperties);
    String name = "relay-" + relayStarts.incrementAndGet();
    return new Service(launch(name, BenchRelayApplication.class.getName(), args), port);
  }

  Service launchSink() {
    int port = ChildProcess.freePort();
    List<String> args = common("benchsink", SINK_DB, port);
    args.addAll(sinkProperties);
    return new Service(launch("sink", BenchSinkApplication.class.getName(), args), port);
  }

  private ChildProcess launch(String name, String mainClass, List<String> args) {
    // A bounded heap so that four JVMs fit beside each other; otherwise the JVM's defaults.
    List<String> jvm = new ArrayList<>(List.of("-Xmx512m", "-Djava.awt.headless=true"));
    if (jfr) {
      jvm.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + logDir.toAbsolutePath().resolve(name + ".jfr"));
    }
    return ChildProcess.start(name, ChildProcess.javaCommand(jvm, mainClass, args), logDir);
  }

  private List<String> common(String service, String database, int port) {
    List<String> args = new ArrayList<>();
    args.add("--runnel.service=" + service);
    args.add("--spring.r2dbc.url=" + postgres.r2dbcUrl(database));
    args.add("--spring.r2dbc.username=" + postgres.username());
    args.add("--spring.r2dbc.password=" + postgres.password());
    args.add("--spring.kafka.bootstrap-servers=" + broker.bootstrapServers());
    args.add("--server.address=127.0.0.1");
    args.add("--server.port=" + port);
    // Every service is a resource server; nothing calls these two, but the decoder needs an
    // address. Port 9 (discard) is never contacted because no request carries a token.
    args.add("--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:9/jwks");
    return args;
  }
}
