package dev.runnel.market.catalog.application;

import dev.runnel.kit.problem.Problem;
import dev.runnel.market.MarketProperties;
import dev.runnel.market.catalog.application.IconCache.Icon;
import dev.runnel.market.repository.application.RemoteFiles;
import dev.runnel.market.repository.application.RemoteFiles.RemoteFileException;
import dev.runnel.market.shared.MarketProblem;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * App icons, fetched once from the chart's icon URL and served by the market, so browsers never
 * call third-party hosts. Only images are kept: the declared type must be an image type and the
 * bytes must look like one.
 */
@Service
public class AppIcons {
  private static final Set<String> TYPES =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml");
  private final CatalogQueries queries;
  private final IconCache cache;
  private final RemoteFiles remote;
  private final MarketProperties properties;

  public AppIcons(
      CatalogQueries queries, IconCache cache, RemoteFiles remote, MarketProperties properties) {
    this.queries = queries;
    this.cache = cache;
    this.remote = remote;
    this.properties = properties;
  }

  public Mono<Icon> icon(String repository, String name) {
    return queries
        .app(repository, name)
        .switchIfEmpty(Mono.error(() -> Problem.notFound("App", repository + "/" + name)))
        .then(queries.iconUrl(repository, name))
        .switchIfEmpty(Mono.error(() -> Problem.notFound("Icon of app", repository + "/" + name)))
        .flatMap(url -> cache.find(url).switchIfEmpty(Mono.defer(() -> fetch(url))));
  }

  private Mono<Icon> fetch(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Mono.error(unavailable("its URL is not valid"));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
      return Mono.error(unavailable("only http and https icon URLs are fetched"));
    }
    return Mono.fromCallable(() -> publicHost(uri.getHost()))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            ok ->
                ok
                    ? remote.toBytes(uri, RemoteFiles.Access.UNTRUSTED, properties.iconMaxBytes())
                    : Mono.error(unavailable("its host is a private address")))
        .onErrorMap(RemoteFileException.class, e -> unavailable(e.getMessage()))
        .map(
            d -> {
              String type = d.contentType() == null ? "" : d.contentType();
              type = type.split(";")[0].strip().toLowerCase(Locale.ROOT);
              if (!TYPES.contains(type) || !looksLike(type, d.bytes())) {
                throw unavailable(
                    "it is not an image (" + (type.isEmpty() ? "no type" : type) + ")");
              }
              return new Icon(type, d.bytes());
            })
        .flatMap(icon -> cache.store(url, icon).thenReturn(icon));
  }

  private boolean publicHost(String host) throws UnknownHostException {
    if (properties.iconAllowPrivateAddresses()) {
      return true;
    }
    for (InetAddress a : InetAddress.getAllByName(host)) {
      if (a.isLoopbackAddress()
          || a.isAnyLocalAddress()
          || a.isLinkLocalAddress()
          || a.isSiteLocalAddress()
          || a.isMulticastAddress()) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLike(String type, byte[] b) {
    return switch (type) {
      case "image/png" -> b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N';
      case "image/jpeg" -> b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
      case "image/gif" -> b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F';
      case "image/webp" -> b.length > 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B';
      default ->
          new String(b, 0, Math.min(b.length, 1024), StandardCharsets.UTF_8)
              .toLowerCase(Locale.ROOT)
              .contains("<svg");
    };
  }

  private static MarketProblem unavailable(String why) {
    return MarketProblem.badGateway(
        "icon-unavailable", "Icon unavailable", "The app's icon cannot be served: " + why);
  }
}
