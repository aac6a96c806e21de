package dev.runnel.market.chart.adapter.in.web;

import dev.runnel.kit.problem.Problem;
import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import dev.runnel.market.chart.ChartsConfiguration;
import dev.runnel.market.chart.application.ChartProblems;
import dev.runnel.market.chart.application.ChartsProperties;
import dev.runnel.market.chart.application.PublishCharts;
import dev.runnel.market.chart.domain.PublishedChart;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishing (应用发布): {@code /api/market/v1/charts} (multipart, field {@code chart}, optional {@code
 * team}) and the ChartMuseum-compatible {@code POST /api/charts} (the package as the raw body), so
 * {@code helm cm-push} and {@code curl --data-binary} work. Uploads are read as a stream into
 * memory up to the configured size; nothing touches the disk.
 */
@RestController
class PublishedChartsController {
  private static final long FORM_FIELD_LIMIT = 1024;
  private final PublishCharts publish;
  private final ChartsProperties properties;

  PublishedChartsController(PublishCharts publish, ChartsProperties properties) {
    this.publish = publish;
    this.properties = properties;
  }

  @PostMapping(path = "/api/market/v1/charts", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  Mono<ResponseEntity<ChartResponse>> publish(
      @RequestHeader(name = "Content-Length", required = false) Long length,
      @RequestBody Flux<PartEvent> parts) {
    long limit = properties.maxPackageSize().toBytes();
    return Callers.current()
        .flatMap(
            caller -> {
              if (length != null && length > limit + ChartsConfiguration.MULTIPART_OVERHEAD) {
                return Mono.error(ChartProblems.tooLarge(limit));
              }
              // Refuse before reading the body when the caller may not publish at all.
              refuseNonPublisher(caller);
              Upload upload = new Upload(limit);
              return parts
                  .windowUntil(PartEvent::isLast)
                  .concatMap(part -> upload.accept(part))
                  .then(Mono.defer(() -> publish.publish(upload.chart(), upload.team, caller)));
            })
        .map(
            c ->
                ResponseEntity.created(
                        URI.create("/api/market/v1/charts/" + c.name() + "/" + c.version()))
                    .body(ChartResponse.of(c)));
  }

  @PostMapping(path = "/api/charts")
  Mono<ResponseEntity<ChartMuseumResponse>> chartMuseumUpload(
      @RequestHeader(name = "Content-Length", required = false) Long length,
      @RequestParam(required = false) String team,
      @RequestBody(required = false) Flux<DataBuffer> body) {
    long limit = properties.maxPackageSize().toBytes();
    return Callers.current()
        .flatMap(
            caller -> {
              if (length != null && length > limit) {
                return Mono.error(ChartProblems.tooLarge(limit));
              }
              refuseNonPublisher(caller);
              Flux<DataBuffer> content = body == null ? Flux.empty() : body;
              return readAll(content, limit).flatMap(bytes -> publish.publish(bytes, team, caller));
            })
        .map(c -> ResponseEntity.status(201).body(new ChartMuseumResponse(true)));
  }

  @GetMapping("/api/market/v1/charts")
  Mono<ChartListResponse> list() {
    return Callers.current()
        .thenMany(publish.list())
        .map(ChartResponse::of)
        .collectList()
        .map(ChartListResponse::new);
  }

  @DeleteMapping("/api/market/v1/charts/{name}/{version}")
  Mono<ResponseEntity<Void>> delete(@PathVariable String name, @PathVariable String version) {
    return Callers.current()
        .flatMap(caller -> publish.delete(name, version, caller))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static void refuseNonPublisher(Caller caller) {
    if (!caller.isPlatformAdmin() && !caller.teams().containsValue(Caller.TEAM_ADMIN)) {
      throw Problem.forbidden("Publishing a chart needs the team-admin or platform-admin role");
    }
  }

  private static Mono<byte[]> readAll(Flux<DataBuffer> content, long limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return content
        .doOnNext(
            buffer -> {
              try {
                if (out.size() + (long) buffer.readableByteCount() > limit) {
                  throw ChartProblems.tooLarge(limit);
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

  /** The fields of one multipart upload, collected as the parts stream by. */
  private static final class Upload {
    private final long limit;
    private byte[] chart;
    private String team;

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
                if (event instanceof FilePartEvent && "chart".equals(name)) {
                  if (chart != null) {
                    return drain(events)
                        .then(Mono.error(Problem.invalid("chart", "must be sent once")));
                  }
                  return readAll(events.map(PartEvent::content), limit)
                      .doOnNext(bytes -> chart = bytes)
                      .then();
                }
                if (event instanceof FormPartEvent form && "team".equals(name)) {
                  if (form.value().length() > FORM_FIELD_LIMIT) {
                    return drain(events).then(Mono.error(Problem.invalid("team", "is too long")));
                  }
                  team = form.value();
                  return drain(events);
                }
                return drain(events)
                    .then(
                        Mono.error(
                            Problem.invalid(
                                name,
                                "is not a field of a chart upload; send the package as 'chart'"
                                    + " (a file) and optionally 'team'")));
              })
          .then();
    }

    byte[] chart() {
      if (chart == null) {
        throw Problem.invalid(
            "chart", "is missing: send the chart package as the file field 'chart'");
      }
      return chart;
    }

    private static Mono<Void> drain(Flux<PartEvent> events) {
      return events.doOnNext(e -> DataBufferUtils.release(e.content())).then();
    }
  }

  record ChartResponse(
      String repository,
      String name,
      String version,
      String appVersion,
      String description,
      String type,
      String digest,
      long size,
      String team,
      String publishedBy,
      Instant publishedAt) {
    static ChartResponse of(PublishedChart c) {
      return new ChartResponse(
          "local",
          c.name(),
          c.version(),
          c.metadata().appVersion(),
          c.metadata().description(),
          c.metadata().type(),
          c.digest(),
          c.size(),
          c.team(),
          c.publishedBy(),
          c.publishedAt());
    }
  }

  record ChartListResponse(List<ChartResponse> items) {}

  record ChartMuseumResponse(boolean saved) {}
}
