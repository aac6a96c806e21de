package dev.runnel.market.packages.application;

import dev.runnel.market.MarketProperties;
import dev.runnel.market.local.LocalCharts;
import dev.runnel.market.packages.ChartPackages;
import dev.runnel.market.repository.application.ManageRepositories;
import dev.runnel.market.repository.application.RemoteFiles;
import dev.runnel.market.repository.application.RemoteFiles.RemoteFileException;
import dev.runnel.market.repository.application.SyncCatalog;
import dev.runnel.market.repository.domain.ChartRepository;
import dev.runnel.market.shared.MarketProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Chart packages of any repository: from the cache when its digest still matches the index,
 * otherwise downloaded (with the repository's credentials only when the package lives on the
 * repository's own origin), checked against the index digest, and cached.
 */
@Service
public class DownloadChartPackages implements ChartPackages {
  private final PackageStore store;
  private final ManageRepositories repositories;
  private final SyncCatalog sync;
  private final RemoteFiles remote;
  private final ObjectProvider<LocalCharts> localCharts;
  private final MarketProperties properties;

  public DownloadChartPackages(
      PackageStore store,
      ManageRepositories repositories,
      SyncCatalog sync,
      RemoteFiles remote,
      ObjectProvider<LocalCharts> localCharts,
      MarketProperties properties) {
    this.store = store;
    this.repositories = repositories;
    this.sync = sync;
    this.remote = remote;
    this.localCharts = localCharts;
    this.properties = properties;
  }

  @Override
  public Mono<ChartPackage> fetch(String repository, String name, String version) {
    return store
        .source(repository, name, version)
        .flatMap(
            source ->
                store
                    .cached(repository, name, version, source.digest())
                    .map(bytes -> new ChartPackage(bytes, sha256(bytes)))
                    .switchIfEmpty(Mono.defer(() -> download(repository, name, version, source))));
  }

  private Mono<ChartPackage> download(
      String repository, String name, String version, PackageStore.Source source) {
    return repositories
        .get(repository)
        .flatMap(repo -> bytes(repo, name, version, source))
        .map(
            bytes -> {
              String digest = sha256(bytes);
              if (source.digest() != null && !source.digest().equals(digest)) {
                throw MarketProblem.badGateway(
                    "package-digest-mismatch",
                    "Package digest mismatch",
                    "The package of "
                        + name
                        + " "
                        + version
                        + " from '"
                        + repository
                        + "' has sha256 "
                        + digest
                        + " but the repository's index says "
                        + source.digest()
                        + "; it was not used");
              }
              return new ChartPackage(bytes, digest);
            })
        .flatMap(
            p ->
                store
                    .cache(
                        repository,
                        name,
                        version,
                        p.digest(),
                        p.bytes(),
                        properties.packageCacheMaxBytes())
                    .thenReturn(p));
  }

  private Mono<byte[]> bytes(
      ChartRepository repo, String name, String version, PackageStore.Source source) {
    if (repo.builtin()) {
      LocalCharts local = localCharts.getIfAvailable();
      return local == null ? Mono.empty() : local.packageOf(name, version);
    }
    if (source.urls().isEmpty()) {
      return Mono.error(
          MarketProblem.badGateway(
              "package-unavailable",
              "Package unavailable",
              "The index of '" + repo.name() + "' gives no URL for " + name + " " + version));
    }
    URI base = URI.create(repo.url() + "/");
    URI uri;
    try {
      uri = base.resolve(new URI(source.urls().get(0)));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Mono.error(
          MarketProblem.badGateway(
              "package-unavailable",
              "Package unavailable",
              "The index of '"
                  + repo.name()
                  + "' gives an invalid URL for "
                  + name
                  + " "
                  + version));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Mono.error(
          MarketProblem.badGateway(
              "package-unavailable",
              "Package unavailable",
              name + " " + version + " is at a " + scheme + " URL, which the market cannot fetch"));
    }
    boolean sameOrigin =
        Objects.equals(uri.getScheme(), base.getScheme())
            && Objects.equals(uri.getAuthority(), base.getAuthority());
    RemoteFiles.Access access = sync.access(repo);
    if (!sameOrigin) {
      // Never hand a repository's credentials to another host its index points at.
      access = new RemoteFiles.Access("none", null, null, null);
    }
    return remote
        .toBytes(uri, access, properties.packageMaxBytes())
        .map(RemoteFiles.Download::bytes)
        .onErrorMap(
            RemoteFileException.class,
            e ->
                MarketProblem.badGateway(
                    "package-unavailable",
                    "Package unavailable",
                    "Could not download " + name + " " + version + ": " + e.getMessage()));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
