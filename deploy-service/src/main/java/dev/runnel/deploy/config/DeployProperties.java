package dev.runnel.deploy.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * deploy-service settings ({@code runnel.deploy.*}).
 *
 * @param secretKey base64 AES key (16, 24 or 32 bytes) that seals kubeconfigs at rest; required
 * @param marketUrl base URL of market-service, where chart packages come from
 * @param marketTimeout how long a call to market-service may take
 * @param localCluster the cluster registered (or updated) as {@code local} at start
 * @param kube limits around every Kubernetes call, per cluster
 * @param operations how long operations may run and how history is kept
 * @param render the Helm rendering worker
 */
@ConfigurationProperties("runnel.deploy")
@Validated
public record DeployProperties(
    String secretKey,
    @DefaultValue("http://127.0.0.1:8081") String marketUrl,
    @DefaultValue("30s") Duration marketTimeout,
    @Valid @DefaultValue LocalCluster localCluster,
    @Valid @DefaultValue Kube kube,
    @Valid @DefaultValue Operations operations,
    @Valid @DefaultValue Render render) {

  /**
   * @param kubeconfig path of a kubeconfig file; empty for none
   */
  public record LocalCluster(@DefaultValue("") String kubeconfig) {}

  /**
   * @param callTimeout the longest a single Kubernetes API call may take
   * @param maxConcurrentCalls Kubernetes calls in flight per cluster (the bulkhead)
   * @param maxWaitForCall how long a call waits for a free slot in the bulkhead
   */
  public record Kube(
      @DefaultValue("20s") Duration callTimeout,
      @DefaultValue("16") @Min(1) @Max(512) int maxConcurrentCalls,
      @DefaultValue("10s") Duration maxWaitForCall) {}

  /**
   * @param healthTimeout how long an install or upgrade waits for the instance to be Healthy
   * @param hookTimeout how long a hook Job may run
   * @param deadline after this a running operation may be cancelled (counted from when it starts
   *     running, not from when it was queued)
   * @param historyLimit revisions kept per instance
   * @param autoRollback whether a failed upgrade rolls back to the last good revision
   * @param crdTimeout how long an install or upgrade waits for the API server to serve a
   *     CustomResourceDefinition it created from the chart's {@code crds/}
   * @param maxRunningPerCluster operations that run at once on one cluster (install, upgrade,
   *     rollback, start, restart, delete); more wait in that cluster's queue, first come first
   *     served. Each running operation makes its Kubernetes calls one after the other, so this
   *     keeps them well inside the cluster's bulkhead ({@code kube.max-concurrent-calls})
   */
  public record Operations(
      @DefaultValue("5m") Duration healthTimeout,
      @DefaultValue("5m") Duration hookTimeout,
      @DefaultValue("15m") Duration deadline,
      @DefaultValue("20") @Min(1) @Max(1000) int historyLimit,
      @DefaultValue("true") boolean autoRollback,
      @DefaultValue("1m") Duration crdTimeout,
      @DefaultValue("8") @Min(1) @Max(256) int maxRunningPerCluster) {}

  /**
   * @param timeout the longest one chart rendering may take
   * @param workerHeap heap of the rendering worker process
   */
  public record Render(
      @DefaultValue("60s") Duration timeout, @DefaultValue("256m") String workerHeap) {}
}
