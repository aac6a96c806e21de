package dev.runnel.market.helmrepo.adapter.in.web;

import dev.runnel.kit.security.Callers;
import dev.runnel.market.helmrepo.application.ServeHelmRepository;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /charts}: the market as a Helm repository ({@code helm repo add}, {@code helm pull}).
 * Authenticated like every other path: a bearer token. The gateway relays a browser session's
 * token, and exchanges the Helm CLI's basic credentials with Keycloak for the caller's token, so
 * this service only ever sees bearer tokens.
 */
@RestController
class ChartsController {
  private final ServeHelmRepository helm;

  ChartsController(ServeHelmRepository helm) {
    this.helm = helm;
  }

  @GetMapping("/charts/index.yaml")
  Mono<ResponseEntity<Resource>> index() {
    return Callers.current()
        .then(helm.index())
        .map(
            file ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/x-yaml"))
                    .body((Resource) new FileSystemResource(file)));
  }

  @GetMapping("/charts/{file:.+\\.tgz}")
  Mono<ResponseEntity<byte[]>> chart(@PathVariable String file) {
    String base = file.substring(0, file.length() - ".tgz".length());
    return Callers.current()
        .then(helm.packageFile(base))
        .map(
            p ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/gzip"))
                    .header("X-Runnel-Chart-Digest", "sha256:" + p.digest())
                    .body(p.bytes()));
  }
}
