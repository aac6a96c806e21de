package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.util.HashSet;
import java.util.Set;

/**
 * What every namespace gets from the service-account and root-CA publisher controllers: a {@code
 * default} ServiceAccount and the {@code kube-root-ca.crt} ConfigMap that charts mount. The
 * certificate inside is a placeholder: the sandbox serves plain HTTP.
 */
final class NamespaceController implements Controller {

  private final Set<String> done = new HashSet<>();

  @Override
  public void reconcile(Reconcile pass) {
    Set<String> live = new HashSet<>();
    for (Namespace namespace : pass.list("/api/v1/namespaces", Namespace.class)) {
      String uid = namespace.getMetadata().getUid();
      live.add(uid);
      if (done.contains(uid)) {
        continue;
      }
      String name = namespace.getMetadata().getName();
      if (pass.client().serviceAccounts().inNamespace(name).withName("default").get() == null) {
        pass.client()
            .serviceAccounts()
            .inNamespace(name)
            .resource(
                new ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName("default")
                    .withNamespace(name)
                    .endMetadata()
                    .build())
            .create();
      }
      if (pass.client().configMaps().inNamespace(name).withName("kube-root-ca.crt").get() == null) {
        pass.client()
            .configMaps()
            .inNamespace(name)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("kube-root-ca.crt")
                    .withNamespace(name)
                    .endMetadata()
                    .addToData(
                        "ca.crt", "# runnel kube-sandbox: simulated cluster, no CA (plain HTTP)\n")
                    .build())
            .create();
      }
      done.add(uid);
    }
    done.retainAll(live);
  }
}
