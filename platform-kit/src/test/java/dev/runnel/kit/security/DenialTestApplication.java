package dev.runnel.kit.security;

import dev.runnel.kit.problem.Problem;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A service with one kind of team-owned object, to test how the kit records denials: things {@code
 * t-*} belong to team {@code zeta}, {@code missing} does not exist.
 */
@SpringBootApplication
class DenialTestApplication {

  @RestController
  static class Things {
    @GetMapping("/api/kitdenial/v1/things/{id}")
    Mono<Map<String, String>> get(@PathVariable String id) {
      return Callers.current()
          .map(
              caller -> {
                if (!id.startsWith("t-")) {
                  throw Problem.notFound("Thing", id);
                }
                caller.requireRead("zeta", "Thing", id);
                return Map.of("id", id, "team", "zeta");
              });
    }

    @DeleteMapping("/api/kitdenial/v1/things/{id}")
    Mono<Void> delete(@PathVariable String id) {
      return Callers.current().map(c -> c.requirePlatformRole(Caller.PLATFORM_ADMIN)).then();
    }
  }
}
