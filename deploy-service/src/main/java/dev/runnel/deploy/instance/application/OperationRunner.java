package dev.runnel.deploy.instance.application;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Runs operations in the background, detached from the request that started them, and can stop one
 * (cancel). Work is reactive; blocking Kubernetes calls hop to boundedElastic in the adapters.
 */
@Component
public class OperationRunner implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);
  private final Map<UUID, Disposable> running = new ConcurrentHashMap<>();

  public void launch(UUID operationId, Mono<Void> work) {
    Disposable d =
        work.doFinally(s -> running.remove(operationId))
            .subscribe(
                v -> {},
                e ->
                    // The work records its own failure; reaching here means recording it failed.
                    log.error("operation {} could not record its outcome", operationId, e));
    running.put(operationId, d);
    if (d.isDisposed()) {
      running.remove(operationId);
    }
  }

  public boolean isRunning(UUID operationId) {
    return running.containsKey(operationId);
  }

  /** Stops the operation's work here; true when it was running in this process. */
  public boolean stop(UUID operationId) {
    Disposable d = running.remove(operationId);
    if (d == null) {
      return false;
    }
    d.dispose();
    return true;
  }

  @Override
  public void destroy() {
    running.values().forEach(Disposable::dispose);
    running.clear();
  }
}
