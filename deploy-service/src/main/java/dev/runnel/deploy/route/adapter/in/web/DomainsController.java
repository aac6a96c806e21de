package dev.runnel.deploy.route.adapter.in.web;

import dev.runnel.deploy.route.application.AddDomain;
import dev.runnel.deploy.route.application.ChangeAccess;
import dev.runnel.deploy.route.application.DomainView;
import dev.runnel.deploy.route.application.ManageDomains;
import dev.runnel.deploy.route.domain.BasicAuthUser;
import dev.runnel.deploy.route.domain.Domain;
import dev.runnel.kit.security.Callers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/deploy/v1/instances/{id}/domains}: custom domains of an instance and their access
 * rules. Team members and team admins change them, viewers and auditors read, another team's
 * instance is 404. Changes are synchronous: {@code 201}/{@code 200}/{@code 204} once the objects
 * are on the cluster; {@code 409} while an operation of the instance runs.
 */
@RestController
@RequestMapping("/api/deploy/v1/instances/{id}/domains")
class DomainsController {
  private final ManageDomains domains;

  DomainsController(ManageDomains domains) {
    this.domains = domains;
  }

  @GetMapping
  Mono<DomainListResponse> list(@PathVariable UUID id) {
    return Callers.current()
        .flatMap(c -> domains.list(c, id))
        .map(all -> new DomainListResponse(all.stream().map(DomainResponse::of).toList()));
  }

  @PostMapping
  Mono<ResponseEntity<DomainResponse>> add(
      @PathVariable UUID id, @Valid @RequestBody AddDomainRequest request) {
    TlsRequest tls = request.tls();
    return Callers.current()
        .flatMap(
            c ->
                domains.add(
                    c,
                    id,
                    new AddDomain(
                        request.host(),
                        request.service(),
                        request.port(),
                        tls == null ? null : tls.secretName(),
                        tls == null ? null : tls.issuer(),
                        tls == null ? null : tls.issuerKind(),
                        request.ingressClass())))
        .map(
            v ->
                ResponseEntity.status(HttpStatus.CREATED)
                    .location(
                        URI.create(
                            "/api/deploy/v1/instances/" + id + "/domains/" + v.domain().host()))
                    .body(DomainResponse.of(v)));
  }

  @DeleteMapping("/{host}")
  Mono<ResponseEntity<Void>> remove(@PathVariable UUID id, @PathVariable String host) {
    return Callers.current()
        .flatMap(c -> domains.remove(c, id, host))
        .then(Mono.just(ResponseEntity.noContent().build()));
  }

  /**
   * Replaces the domain's access rules. {@code wafProtected} is stored and returned only: a later
   * capability enforces it; today it blocks nothing.
   */
  @PutMapping("/{host}/access")
  Mono<DomainResponse> access(
      @PathVariable UUID id, @PathVariable String host, @Valid @RequestBody AccessRequest request) {
    return Callers.current()
        .flatMap(
            c ->
                domains.changeAccess(
                    c,
                    id,
                    host,
                    new ChangeAccess(
                        request.ipAllowList(),
                        request.basicAuth() == null
                            ? null
                            : request.basicAuth().stream()
                                .map(
                                    u ->
                                        u == null
                                            ? null
                                            : new ChangeAccess.User(u.username(), u.password()))
                                .toList(),
                        request.wafProtected())))
        .map(DomainResponse::of);
  }

  /**
   * @param port a port number or a port name of the Service
   * @param tls absent: plain HTTP
   * @param ingressClass absent: {@code runnel.deploy.domains.default-ingress-class}
   */
  record AddDomainRequest(
      @NotBlank @Size(max = 253) String host,
      @NotBlank @Size(max = 63) String service,
      @NotNull Object port,
      @Valid TlsRequest tls,
      @Size(max = 253) String ingressClass) {}

  /** Either {@code secretName} or {@code issuer} (cert-manager; kind ClusterIssuer by default). */
  record TlsRequest(
      @Size(max = 253) String secretName,
      @Size(max = 253) String issuer,
      @Size(max = 16) String issuerKind) {}

  record AccessRequest(
      @Size(max = 1000) List<@Size(max = 64) String> ipAllowList,
      @Size(max = 200) List<@Valid UserRequest> basicAuth,
      Boolean wafProtected) {}

  /** A password is write-only: it is hashed (bcrypt) and never returned or logged. */
  record UserRequest(@Size(max = 64) String username, @Size(max = 256) String password) {
    @Override
    public String toString() {
      return "UserRequest[" + username + "]";
    }
  }

  record TlsResponse(String mode, String secretName, String issuer, String issuerKind) {}

  /** {@code wafProtected} is stored and shown; it is not enforced yet. */
  record AccessResponse(
      List<String> ipAllowList,
      List<String> basicAuthUsers,
      boolean wafProtected,
      String rendering) {}

  record DomainResponse(
      String host,
      String service,
      String port,
      TlsResponse tls,
      String ingressClass,
      AccessResponse access,
      String status,
      List<String> addresses,
      Instant createdAt,
      Instant updatedAt) {
    static DomainResponse of(DomainView v) {
      Domain d = v.domain();
      String tlsSecret =
          switch (d.tls().mode()) {
            case SECRET -> d.tls().secretName();
            case ISSUER -> null;
            case NONE -> null;
          };
      return new DomainResponse(
          d.host(),
          d.service(),
          d.port(),
          new TlsResponse(
              d.tls().mode().label(), tlsSecret, d.tls().issuer(), d.tls().issuerKind()),
          d.ingressClass(),
          new AccessResponse(
              d.access().ipAllowList(),
              d.access().basicAuth().stream().map(BasicAuthUser::username).toList(),
              d.access().wafProtected(),
              d.rendering().label()),
          v.status(),
          v.addresses(),
          d.createdAt(),
          d.updatedAt());
    }
  }

  record DomainListResponse(List<DomainResponse> items) {}
}
