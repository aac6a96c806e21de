package dev.runnel.deploy.bundle.adapter.in.web;

import dev.runnel.deploy.bundle.BundleConfiguration;
import dev.runnel.deploy.bundle.application.BundleProperties;
import dev.runnel.deploy.bundle.application.ImportCommand;
import dev.runnel.deploy.bundle.application.InstanceBundles;
import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Callers;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/deploy/v1/instances/{id}/export} ({@code application/gzip}, a {@code .tar.gz}
 * bundle; team members and admins, since it holds the user's values) and {@code POST
 * /api/deploy/v1/instances/import} (multipart: file {@code bundle}, fields {@code cluster}, {@code
 * namespace}, {@code team}, {@code name}; {@code 202} with the install operation).
 */
@RestController
class BundlesController {
  static final MediaType GZIP = MediaType.parseMediaType("application/gzip");
  private static final int FIELD_LIMIT = 256;
  private static final Set<String> FIELDS = Set.of("cluster", "namespace", "team", "name");

  private final InstanceBundles bundles;
  private final BundleProperties limits;

  BundlesController(InstanceBundles bundles, BundleProperties limits) {
    this.bundles = bundles;
    this.limits = limits;
  }

  @GetMapping(path = "/api/deploy/v1/instances/{id}/export")
  Mono<ResponseEntity<byte[]>> export(@PathVariable UUID id) {
    return Mono.zip(Callers.current(), token())
        .flatMap(t -> bundles.export(t.getT1(), id, t.getT2()))
        .map(
            e ->
                ResponseEntity.ok()
                    .contentType(GZIP)
                    .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(e.fileName()).build().toString())
                    .body(e.archive()));
  }

  @PostMapping(
      path = "/api/deploy/v1/instances/import",
      consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  Mono<ResponseEntity<Map<String, Object>>> importBundle(
      @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long length,
      @RequestHeader(name = "Idempotency-Key", required = false) String key,
      @RequestBody Flux<PartEvent> parts) {
    long limit = limits.maxSize().toBytes();
    return Mono.zip(Callers.current(), token())
        .flatMap(
            t -> {
              if (length != null && length > limit + BundleConfiguration.MULTIPART_OVERHEAD) {
                return Mono.error(tooLarge(limit));
              }
              Upload upload = new Upload(limit);
              return parts
                  .windowUntil(PartEvent::isLast)
                  .concatMap(upload::accept)
                  .then(
                      Mono.defer(
                          () ->
                              bundles.importBundle(
                                  new ImportCommand(
                                      upload.bundle(),
                                      upload.fields.get("cluster"),
                                      upload.fields.get("namespace"),
                                      upload.fields.get("team"),
                                      upload.fields.get("name"),
                                      t.getT1(),
                                      t.getT2(),
                                      key))));
            })
        .map(
            op ->
                ResponseEntity.status(HttpStatus.ACCEPTED)
                    .location(URI.create("/api/deploy/v1/operations/" + op.id()))
                    .body(
                        Map.<String, Object>of(
                            "id", op.id(),
                            "instanceId", op.instanceId(),
                            "kind", op.kind().label(),
                            "status", op.status().label(),
                            "actor", op.actor())));
  }

  private static Problem tooLarge(long limit) {
    return Problem.invalid(
        "bundle", "is larger than " + limit / (1024 * 1024) + " MiB, the most a bundle may be");
  }

  private static Mono<String> token() {
    return ReactiveSecurityContextHolder.getContext()
        .map(c -> c.getAuthentication())
        .filter(JwtAuthenticationToken.class::isInstance)
        .map(a -> ((JwtAuthenticationToken) a).getToken().getTokenValue());
  }

  /** The fields of one import request, collected as the parts stream by. */
  private static final class Upload {
    private final long limit;
    private final Map<String, String> fields = new HashMap<>();
    private byte[] bundle;

    Upload(long limit) {
      this.limit = limit;
    }

    Mono<Void> accept(Flux<PartEvent> part) {
      return part.switchOnFirst(
              (first, events) -> {
                if (!first.hasValue()) {
                  return events.then();
                }
                PartEvent event = first.get();
                String name = event.name();
                if (event instanceof FilePartEvent && "bundle".equals(name)) {
                  if (bundle != null) {
                    return drain(events)
                        .then(Mono.error(Problem.invalid("bundle", "must be sent once")));
                  }
                  return readAll(events.map(PartEvent::content), limit)
                      .doOnNext(bytes -> bundle = bytes)
                      .then();
                }
                if (event instanceof FormPartEvent form && FIELDS.contains(name)) {
                  if (form.value().length() > FIELD_LIMIT) {
                    return drain(events).then(Mono.error(Problem.invalid(name, "is too long")));
                  }
                  fields.put(name, form.value());
                  return drain(events);
                }
                return drain(events)
                    .then(
                        Mono.error(
                            Problem.invalid(
                                name,
                                "is not a field of an import; send the file 'bundle' and the"
                                    + " fields cluster, namespace, team and name")));
              })
          .then();
    }

    byte[] bundle() {
      if (bundle == null) {
        throw Problem.invalid("bundle", "is missing: send the bundle as the file field 'bundle'");
      }
      return bundle;
    }

    private static Mono<Void> drain(Flux<PartEvent> events) {
      return events.doOnNext(e -> DataBufferUtils.release(e.content())).then();
    }

    private static Mono<byte[]> readAll(Flux<DataBuffer> content, long limit) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      return content
          .doOnNext(
              buffer -> {
                try {
                  if (out.size() + (long) buffer.readableByteCount() > limit) {
                    throw tooLarge(limit);
                  }
                  byte[] chunk = new byte[buffer.readableByteCount()];
                  buffer.read(chunk);
                  out.write(chunk, 0, chunk.length);
                } finally {
                  DataBufferUtils.release(buffer);
                }
              })
          .then(Mono.fromCallable(out::toByteArray));
    }
  }
}
