package dev.runnel.market.category.adapter.in.web;

import dev.runnel.kit.security.Caller;
import dev.runnel.kit.security.Callers;
import dev.runnel.market.category.application.CategoryCommands;
import dev.runnel.market.category.application.ManageCategories;
import dev.runnel.market.category.domain.Category;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code /api/market/v1/categories}: anyone signed in reads; platform admins change. */
@RestController
@RequestMapping("/api/market/v1/categories")
class CategoriesController {
  private final ManageCategories categories;

  CategoriesController(ManageCategories categories) {
    this.categories = categories;
  }

  @GetMapping
  Mono<CategoryListResponse> list(
      @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "50") int limit) {
    return Callers.current()
        .then(categories.list(cursor, limit))
        .map(
            page ->
                new CategoryListResponse(
                    page.items().stream().map(CategoryResponse::of).toList(), page.nextCursor()));
  }

  @GetMapping("/{id}")
  Mono<CategoryResponse> get(@PathVariable UUID id) {
    return Callers.current().then(categories.get(id)).map(CategoryResponse::of);
  }

  @PostMapping
  Mono<ResponseEntity<CategoryResponse>> create(@Valid @RequestBody CategoryRequest request) {
    return admin()
        .flatMap(
            caller ->
                categories.create(
                    new CategoryCommands.Create(
                        request.name(),
                        request.description(),
                        request.sortOrderOrDefault(),
                        caller.username())))
        .map(
            c ->
                ResponseEntity.created(URI.create("/api/market/v1/categories/" + c.id()))
                    .body(CategoryResponse.of(c)));
  }

  @PutMapping("/{id}")
  Mono<CategoryResponse> update(
      @PathVariable UUID id, @Valid @RequestBody CategoryRequest request) {
    return admin()
        .flatMap(
            caller ->
                categories.update(
                    new CategoryCommands.Update(
                        id,
                        request.name(),
                        request.description(),
                        request.sortOrderOrDefault(),
                        caller.username())))
        .map(CategoryResponse::of);
  }

  @DeleteMapping("/{id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable UUID id) {
    return admin()
        .flatMap(caller -> categories.delete(new CategoryCommands.Delete(id, caller.username())))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static Mono<Caller> admin() {
    return Callers.current().map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN));
  }

  record CategoryRequest(
      @NotBlank @Size(max = 64) String name,
      @Size(max = 500) String description,
      @Min(0) @Max(10000) Integer sortOrder) {
    int sortOrderOrDefault() {
      return sortOrder == null ? 0 : sortOrder;
    }
  }

  record CategoryResponse(
      UUID id,
      String name,
      String description,
      int sortOrder,
      Instant createdAt,
      Instant updatedAt) {
    static CategoryResponse of(Category c) {
      return new CategoryResponse(
          c.id(), c.name(), c.description(), c.sortOrder(), c.createdAt(), c.updatedAt());
    }
  }

  record CategoryListResponse(List<CategoryResponse> items, String nextCursor) {}
}
