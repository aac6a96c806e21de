package dev.runnel.deploy.route.adapter.out.r2dbc;

import dev.runnel.deploy.route.application.Domains;
import dev.runnel.deploy.route.domain.AccessRules;
import dev.runnel.deploy.route.domain.BasicAuthUser;
import dev.runnel.deploy.route.domain.Domain;
import dev.runnel.deploy.route.domain.Rendering;
import dev.runnel.deploy.route.domain.Tls;
import io.r2dbc.spi.Readable;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class DomainsR2dbcRepository implements Domains {
  private static final String COLUMNS =
      "cluster, host, instance_id, namespace, service, port, tls_mode, tls_secret, tls_issuer,"
          + " tls_issuer_kind, ingress_class, ip_allow_list, basic_auth, waf_protected, rendering,"
          + " created_at, updated_at";
  private final DatabaseClient db;
  private final JsonMapper json;

  DomainsR2dbcRepository(DatabaseClient db, JsonMapper json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Flux<Domain> forInstance(UUID instanceId) {
    return db.sql(
            "select " + COLUMNS + " from instance_domain where instance_id = :id order by host")
        .bind("id", instanceId)
        .map(this::toDomain)
        .all();
  }

  @Override
  public Mono<Domain> find(UUID instanceId, String host) {
    return db.sql(
            "select " + COLUMNS + " from instance_domain where instance_id = :id and host = :host")
        .bind("id", instanceId)
        .bind("host", host)
        .map(this::toDomain)
        .one();
  }

  @Override
  public Mono<Domain> holding(String cluster, String host) {
    return db.sql(
            "select " + COLUMNS + " from instance_domain where cluster = :cluster and host = :host")
        .bind("cluster", cluster)
        .bind("host", host)
        .map(this::toDomain)
        .one();
  }

  @Override
  public Mono<Void> insert(Domain d) {
    return bindAll(
            db.sql(
                "insert into instance_domain ("
                    + COLUMNS
                    + ") values (:cluster, :host, :instanceId, :namespace, :service, :port,"
                    + " :tlsMode, :tlsSecret, :tlsIssuer, :tlsIssuerKind, :ingressClass,"
                    + " :allow, :users, :waf, :rendering, :createdAt, :updatedAt)"),
            d)
        .then();
  }

  @Override
  public Mono<Void> update(Domain d) {
    return bindAll(
            db.sql(
                "update instance_domain set instance_id = :instanceId, namespace = :namespace,"
                    + " service = :service, port = :port, tls_mode = :tlsMode, tls_secret ="
                    + " :tlsSecret, tls_issuer = :tlsIssuer, tls_issuer_kind = :tlsIssuerKind,"
                    + " ingress_class = :ingressClass, ip_allow_list = :allow, basic_auth ="
                    + " :users, waf_protected = :waf, rendering = :rendering, created_at ="
                    + " :createdAt, updated_at = :updatedAt where cluster = :cluster and host ="
                    + " :host"),
            d)
        .then();
  }

  @Override
  public Mono<Void> delete(UUID instanceId, String host) {
    return db.sql("delete from instance_domain where instance_id = :id and host = :host")
        .bind("id", instanceId)
        .bind("host", host)
        .then();
  }

  private DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec s, Domain d) {
    Map<String, String> users = new LinkedHashMap<>();
    d.access().basicAuth().forEach(u -> users.put(u.username(), u.hash()));
    s =
        s.bind("cluster", d.cluster())
            .bind("host", d.host())
            .bind("instanceId", d.instanceId())
            .bind("namespace", d.namespace())
            .bind("service", d.service())
            .bind("port", d.port())
            .bind("tlsMode", d.tls().mode().label())
            .bind("ingressClass", d.ingressClass())
            .bind("allow", json.writeValueAsString(d.access().ipAllowList()))
            .bind("users", json.writeValueAsString(users))
            .bind("waf", d.access().wafProtected())
            .bind("rendering", d.rendering().label())
            .bind("createdAt", d.createdAt().atOffset(ZoneOffset.UTC))
            .bind("updatedAt", d.updatedAt().atOffset(ZoneOffset.UTC));
    s = nullable(s, "tlsSecret", d.tls().secretName());
    s = nullable(s, "tlsIssuer", d.tls().issuer());
    return nullable(s, "tlsIssuerKind", d.tls().issuerKind());
  }

  private static DatabaseClient.GenericExecuteSpec nullable(
      DatabaseClient.GenericExecuteSpec s, String name, String value) {
    return value == null ? s.bindNull(name, String.class) : s.bind(name, value);
  }

  private Domain toDomain(Readable r) {
    Tls.Mode mode =
        Tls.Mode.valueOf(r.get("tls_mode", String.class).toUpperCase(java.util.Locale.ROOT));
    Tls tls =
        new Tls(
            mode,
            r.get("tls_secret", String.class),
            r.get("tls_issuer", String.class),
            r.get("tls_issuer_kind", String.class));
    List<String> allow =
        json.readValue(r.get("ip_allow_list", String.class), new TypeReference<List<String>>() {});
    Map<String, String> users =
        json.readValue(
            r.get("basic_auth", String.class),
            new TypeReference<LinkedHashMap<String, String>>() {});
    return new Domain(
        r.get("instance_id", UUID.class),
        r.get("cluster", String.class),
        r.get("namespace", String.class),
        r.get("host", String.class),
        r.get("service", String.class),
        r.get("port", String.class),
        tls,
        r.get("ingress_class", String.class),
        new AccessRules(
            allow,
            users.entrySet().stream()
                .map(e -> new BasicAuthUser(e.getKey(), e.getValue()))
                .toList(),
            Boolean.TRUE.equals(r.get("waf_protected", Boolean.class))),
        Rendering.of(r.get("rendering", String.class)),
        r.get("created_at", OffsetDateTime.class).toInstant(),
        r.get("updated_at", OffsetDateTime.class).toInstant());
  }
}
