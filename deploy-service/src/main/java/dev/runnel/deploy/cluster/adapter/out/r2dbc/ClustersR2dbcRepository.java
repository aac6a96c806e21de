package dev.runnel.deploy.cluster.adapter.out.r2dbc;

import dev.runnel.deploy.cluster.application.Clusters;
import dev.runnel.deploy.cluster.domain.Cluster;
import dev.runnel.deploy.crypto.SecretCipher;
import dev.runnel.deploy.kube.SealedKubeconfigs;
import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class ClustersR2dbcRepository implements Clusters, SealedKubeconfigs {
  private static final String COLUMNS =
      "name, server, kubernetes_version, simulated, node_count, created_at, updated_at";
  private final DatabaseClient db;
  private final SecretCipher cipher;

  ClustersR2dbcRepository(DatabaseClient db, SecretCipher cipher) {
    this.db = db;
    this.cipher = cipher;
  }

  @Override
  public Mono<Cluster> find(String name) {
    return db.sql("select " + COLUMNS + " from cluster where name = :name")
        .bind("name", name)
        .map(ClustersR2dbcRepository::toCluster)
        .one();
  }

  @Override
  public Flux<Cluster> all() {
    return db.sql("select " + COLUMNS + " from cluster order by name")
        .map(ClustersR2dbcRepository::toCluster)
        .all();
  }

  @Override
  public Mono<Void> save(Cluster c, byte[] sealedKubeconfig) {
    return db.sql(
            "insert into cluster ("
                + COLUMNS
                + ", kubeconfig_sealed) values (:name, :server, :version, :simulated, :nodes,"
                + " :createdAt, :updatedAt, :sealed) on conflict (name) do update set server ="
                + " excluded.server, kubernetes_version = excluded.kubernetes_version, simulated"
                + " = excluded.simulated, node_count = excluded.node_count, updated_at ="
                + " excluded.updated_at, kubeconfig_sealed = excluded.kubeconfig_sealed")
        .bind("name", c.name())
        .bind("server", c.server())
        .bind("version", c.kubernetesVersion())
        .bind("simulated", c.simulated())
        .bind("nodes", c.nodeCount())
        .bind("createdAt", c.createdAt().atOffset(ZoneOffset.UTC))
        .bind("updatedAt", c.updatedAt().atOffset(ZoneOffset.UTC))
        .bind("sealed", ByteBuffer.wrap(sealedKubeconfig))
        .then();
  }

  @Override
  public Mono<Void> delete(String name) {
    return db.sql("delete from cluster where name = :name").bind("name", name).then();
  }

  @Override
  public Mono<Long> countInstances(String name) {
    return db.sql("select count(*) as n from instance where cluster = :name and deleted_at is null")
        .bind("name", name)
        .map(row -> row.get("n", Long.class))
        .one();
  }

  @Override
  public Mono<String> kubeconfig(String cluster) {
    return db.sql("select kubeconfig_sealed from cluster where name = :name")
        .bind("name", cluster)
        .map(row -> row.get("kubeconfig_sealed", ByteBuffer.class))
        .one()
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              return cipher.open(bytes);
            });
  }

  private static Cluster toCluster(Readable row) {
    return new Cluster(
        row.get("name", String.class),
        row.get("server", String.class),
        row.get("kubernetes_version", String.class),
        Boolean.TRUE.equals(row.get("simulated", Boolean.class)),
        row.get("node_count", Integer.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }
}
