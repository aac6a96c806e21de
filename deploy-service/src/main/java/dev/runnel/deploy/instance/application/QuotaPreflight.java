package dev.runnel.deploy.instance.application;

import dev.runnel.deploy.instance.domain.Instance;
import dev.runnel.deploy.instance.domain.Rendered;
import reactor.core.publisher.Mono;

/** Refuses an install or upgrade that would take the team past its quota, before any change. */
public interface QuotaPreflight {
  /**
   * An error (a problem saying what is short) when the rendered objects do not fit what the team's
   * quota leaves; empty when they fit or the team has no quota.
   *
   * @param adds true for an install (one instance more), false for an upgrade
   */
  Mono<Void> refuseExcess(Instance instance, Rendered rendered, boolean adds);
}
