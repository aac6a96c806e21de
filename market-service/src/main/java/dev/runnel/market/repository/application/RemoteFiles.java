package dev.runnel.market.repository.application;

import dev.runnel.market.repository.domain.IndexValidators;
import java.net.URI;
import java.nio.file.Path;
import reactor.core.publisher.Mono;

/** Downloads files from chart repositories (and icon hosts), size- and time-limited. */
public interface RemoteFiles {
  /** Streams {@code uri} into {@code target}, hashing it on the way. */
  Mono<Download> toFile(URI uri, Access access, long maxBytes, Path target);

  /**
   * Like {@link #toFile(URI, Access, long, Path)}, but asks only for a newer copy than the one
   * {@code known} describes ({@code If-None-Match}, {@code If-Modified-Since}); when the server
   * answers {@code 304 Not Modified}, nothing is written and the download says {@link
   * Download#notModified()}.
   */
  Mono<Download> toFileIfChanged(
      URI uri, Access access, long maxBytes, Path target, IndexValidators known);

  /** Reads {@code uri} into memory. */
  Mono<Download> toBytes(URI uri, Access access, long maxBytes);

  /**
   * How to reach a repository: credentials in the clear (only ever in memory) and a custom CA.
   *
   * @param kind {@code none}, {@code basic} or {@code bearer}
   * @param followRedirects whether a redirect is followed (never with credentials)
   */
  record Access(
      String kind, String username, String secret, String caPem, boolean followRedirects) {
    public static final Access NONE = new Access("none", null, null, null, true);

    /**
     * For URLs that come from third-party indexes (icons): no credentials and no redirects, so a
     * checked public address cannot bounce the request to an internal one.
     */
    public static final Access UNTRUSTED = new Access("none", null, null, null, false);

    public Access(String kind, String username, String secret, String caPem) {
      this(kind, username, secret, caPem, "none".equals(kind));
    }

    @Override
    public String toString() {
      // Never print the secret, whoever logs this record.
      return "Access[" + kind + (username == null ? "" : ", user " + username) + "]";
    }
  }

  /**
   * What was downloaded.
   *
   * @param file where it was written, or null for {@link #toBytes}
   * @param bytes the content for {@link #toBytes}, or null
   * @param sha256 lower-case hex digest of the content; null when not modified
   * @param validators the validators the server sent with the content ({@code ETag}, {@code
   *     Last-Modified}); when not modified, the ones the request was made with
   * @param notModified the server answered {@code 304}: the copy the request named is current
   */
  record Download(
      Path file,
      byte[] bytes,
      String sha256,
      long size,
      String contentType,
      IndexValidators validators,
      boolean notModified) {
    public Download(Path file, byte[] bytes, String sha256, long size, String contentType) {
      this(file, bytes, sha256, size, contentType, IndexValidators.NONE, false);
    }
  }

  /** Why a download failed, in words a person can act on. */
  final class RemoteFileException extends RuntimeException {
    /** The kinds of failure the API reports differently. */
    public enum Reason {
      UNREACHABLE,
      TIMEOUT,
      TLS,
      REFUSED_CREDENTIALS,
      NOT_FOUND,
      HTTP_STATUS,
      TOO_LARGE,
      HTML
    }

    private final Reason reason;

    public RemoteFileException(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }
}
