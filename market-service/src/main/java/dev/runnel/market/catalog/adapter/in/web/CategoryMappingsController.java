package dev.runnel.market.catalog.adapter.in.web;

import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import dev.runnel.market.catalog.application.CategoryMappings.Mapping;
import dev.runnel.market.catalog.application.MapCategories;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/market/v1/category-mappings}: anyone signed in reads; platform admins replace. */
@RestController
@RequestMapping("/api/market/v1/category-mappings")
class CategoryMappingsController {
  private final MapCategories mappings;

  CategoryMappingsController(MapCategories mappings) {
    this.mappings = mappings;
  }

  @GetMapping
  Mono<MappingsResponse> list() {
    return Callers.current()
        .thenMany(mappings.list())
        .map(MappingResponse::of)
        .collectList()
        .map(MappingsResponse::new);
  }

  @PutMapping
  Mono<MappingsResponse> replace(@Valid @RequestBody MappingsRequest request) {
    return Callers.current()
        .map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN))
        .flatMap(
            caller ->
                mappings.replace(
                    request.mappings().stream()
                        .map(
                            m ->
                                m == null
                                    ? null
                                    : new MapCategories.Requested(
                                        m.kind(), m.value(), m.category()))
                        .toList(),
                    caller.username()))
        .map(list -> new MappingsResponse(list.stream().map(MappingResponse::of).toList()));
  }

  record MappingRequest(String kind, String value, String category) {}

  record MappingsRequest(@NotNull @Size(max = 1000) List<MappingRequest> mappings) {}

  record MappingResponse(String kind, String value, String category, UUID categoryId) {
    static MappingResponse of(Mapping m) {
      return new MappingResponse(m.kind(), m.value(), m.categoryName(), m.categoryId());
    }
  }

  record MappingsResponse(List<MappingResponse> items) {}
}
