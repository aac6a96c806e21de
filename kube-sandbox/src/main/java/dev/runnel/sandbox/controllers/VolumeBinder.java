package dev.runnel.sandbox.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * K3s's local-path provisioner and the PV binder in one: every pending claim gets a
 * PersistentVolume {@code pvc-<claim uid>} of the requested size and both turn Bound at once (the
 * real provisioner waits for the first consumer pod). Volumes whose claim is gone are deleted, as
 * the {@code Delete} reclaim policy does.
 */
final class VolumeBinder implements Controller {

  private static final String COMPONENT = "rancher.io/local-path_local-path-provisioner";

  @Override
  public void reconcile(Reconcile pass) {
    List<PersistentVolumeClaim> claims =
        pass.list("/api/v1/persistentvolumeclaims", PersistentVolumeClaim.class);
    Set<String> claimUids = new HashSet<>();
    for (PersistentVolumeClaim claim : claims) {
      claimUids.add(claim.getMetadata().getUid());
      boolean bound = claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
      if (!bound) {
        bind(pass, claim);
      }
    }
    for (PersistentVolume volume : pass.list("/api/v1/persistentvolumes", PersistentVolume.class)) {
      boolean provisioned = volume.getMetadata().getName().startsWith("pvc-");
      boolean orphaned =
          volume.getSpec().getClaimRef() != null
              && !claimUids.contains(volume.getSpec().getClaimRef().getUid());
      if (provisioned
          && orphaned
          && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
        pass.client().persistentVolumes().withName(volume.getMetadata().getName()).delete();
      }
    }
  }

  private void bind(Reconcile pass, PersistentVolumeClaim claim) {
    String namespace = claim.getMetadata().getNamespace();
    String volumeName = "pvc-" + claim.getMetadata().getUid();
    Quantity size =
        claim.getSpec().getResources() != null
                && claim.getSpec().getResources().getRequests() != null
                && claim.getSpec().getResources().getRequests().get("storage") != null
            ? claim.getSpec().getResources().getRequests().get("storage")
            : new Quantity("1Gi");
    String storageClass =
        claim.getSpec().getStorageClassName() == null
            ? "local-path"
            : claim.getSpec().getStorageClassName();
    List<String> accessModes =
        claim.getSpec().getAccessModes() == null || claim.getSpec().getAccessModes().isEmpty()
            ? List.of("ReadWriteOnce")
            : claim.getSpec().getAccessModes();
    if (pass.client().persistentVolumes().withName(volumeName).get() == null) {
      PersistentVolume volume =
          new PersistentVolumeBuilder()
              .withNewMetadata()
              .withName(volumeName)
              .addToAnnotations("pv.kubernetes.io/provisioned-by", "rancher.io/local-path")
              .endMetadata()
              .withNewSpec()
              .withCapacity(Map.of("storage", size))
              .withAccessModes(accessModes)
              .withStorageClassName(storageClass)
              .withPersistentVolumeReclaimPolicy("Delete")
              .withVolumeMode("Filesystem")
              .withNewHostPath()
              .withPath(
                  "/var/lib/rancher/k3s/storage/"
                      + volumeName
                      + "_"
                      + namespace
                      + "_"
                      + claim.getMetadata().getName())
              .withType("DirectoryOrCreate")
              .endHostPath()
              .withNewClaimRef()
              .withApiVersion("v1")
              .withKind("PersistentVolumeClaim")
              .withName(claim.getMetadata().getName())
              .withNamespace(namespace)
              .withUid(claim.getMetadata().getUid())
              .endClaimRef()
              .endSpec()
              .withNewStatus()
              .withPhase("Bound")
              .endStatus()
              .build();
      pass.client().persistentVolumes().resource(volume).create();
      pass.events()
          .normal(
              claim,
              COMPONENT,
              "ProvisioningSucceeded",
              "Successfully provisioned volume " + volumeName);
    }
    PersistentVolumeClaim updated =
        pass.client()
            .persistentVolumeClaims()
            .inNamespace(namespace)
            .withName(claim.getMetadata().getName())
            .edit(
                c -> {
                  c.getSpec().setVolumeName(volumeName);
                  c.getSpec().setStorageClassName(storageClass);
                  return c;
                });
    updated.setStatus(
        new PersistentVolumeClaimStatusBuilder()
            .withPhase("Bound")
            .withAccessModes(accessModes)
            .withCapacity(Map.of("storage", size))
            .build());
    pass.client().persistentVolumeClaims().inNamespace(namespace).resource(updated).updateStatus();
  }
}
