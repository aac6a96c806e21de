package dev.runnel.market.repository.adapter.out.http;

import dev.runnel.market.MarketProperties;
import dev.runnel.market.repository.application.RemoteFiles;
import dev.runnel.market.repository.application.RemoteFiles.RemoteFileException.Reason;
import dev.runnel.market.repository.domain.IndexValidators;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Downloads with the JDK's HTTP client on bounded-elastic threads, counting and hashing bytes as
 * they stream, and cutting the transfer at the size limit. A resilience4j time limiter bounds the
 * whole download; the client's own timeouts bound connecting and waiting for headers.
 */
@Component
class JdkRemoteFiles implements RemoteFiles {
  private final MarketProperties properties;
  private final TimeLimiter limiter;
  private final HttpClient plain;

  JdkRemoteFiles(MarketProperties properties) {
    this.properties = properties;
    this.limiter =
        TimeLimiter.of(
            "chart-repository",
            TimeLimiterConfig.custom()
                .timeoutDuration(properties.fetchTimeout())
                .cancelRunningFuture(true)
                .build());
    this.plain = client(null, true);
  }

  @Override
  public Mono<Download> toFile(URI uri, Access access, long maxBytes, Path target) {
    return toFileIfChanged(uri, access, maxBytes, target, IndexValidators.NONE);
  }

  @Override
  public Mono<Download> toFileIfChanged(
      URI uri, Access access, long maxBytes, Path target, IndexValidators known) {
    return download(
        uri,
        access,
        maxBytes,
        known,
        () -> Files.newOutputStream(target),
        (sha, size, type, validators, out) ->
            new Download(target, null, sha, size, type, validators, false));
  }

  @Override
  public Mono<Download> toBytes(URI uri, Access access, long maxBytes) {
    return download(
        uri,
        access,
        maxBytes,
        IndexValidators.NONE,
        ByteArrayOutputStream::new,
        (sha, size, type, validators, out) ->
            new Download(
                null,
                ((ByteArrayOutputStream) out).toByteArray(),
                sha,
                size,
                type,
                validators,
                false));
  }

  private interface Sink {
    OutputStream open() throws IOException;
  }

  private interface Result {
    Download of(
        String sha, long size, String contentType, IndexValidators validators, OutputStream out);
  }

  private Mono<Download> download(
      URI uri, Access access, long maxBytes, IndexValidators known, Sink sink, Result result) {
    return Mono.fromCallable(() -> fetch(uri, access, maxBytes, known, sink, result))
        .subscribeOn(Schedulers.boundedElastic())
        .transformDeferred(TimeLimiterOperator.of(limiter))
        .onErrorMap(
            TimeoutException.class,
            e ->
                new RemoteFileException(
                    Reason.TIMEOUT,
                    host(uri)
                        + " did not deliver "
                        + uri.getPath()
                        + " within "
                        + properties.fetchTimeout().toSeconds()
                        + " s"));
  }

  private Download fetch(
      URI uri, Access access, long maxBytes, IndexValidators known, Sink sink, Result result)
      throws IOException, InterruptedException {
    boolean credentials = access != null && !"none".equals(access.kind());
    // Credentials must not follow a redirect to another host, nor may an untrusted URL.
    boolean follow = access == null || (access.followRedirects() && !credentials);
    HttpClient client =
        access != null && access.caPem() != null
            ? client(access.caPem(), follow)
            : follow ? plain : client(null, false);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(properties.connectTimeout().multipliedBy(3))
            .header("User-Agent", "Runnel-Market/1")
            .GET();
    if (credentials) {
      request.header("Authorization", authorization(access));
    }
    // Both when both are known: a server that checks only one of them still answers 304 (RFC 9110
    // gives If-None-Match precedence where both are understood).
    if (known.etag() != null) {
      request.header("If-None-Match", known.etag());
    }
    if (known.lastModified() != null) {
      request.header("If-Modified-Since", known.lastModified());
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new RemoteFileException(
          Reason.UNREACHABLE, "Could not connect to " + host(uri) + ": the connection timed out");
    } catch (HttpTimeoutException e) {
      throw new RemoteFileException(
          Reason.TIMEOUT, host(uri) + " accepted the connection but did not answer in time");
    } catch (SSLException e) {
      throw new RemoteFileException(
          Reason.TLS,
          "The TLS handshake with "
              + host(uri)
              + " failed ("
              + e.getMessage()
              + "); if it uses a private CA, add the CA certificate");
    } catch (ConnectException e) {
      throw new RemoteFileException(
          Reason.UNREACHABLE, "Could not connect to " + host(uri) + ": connection refused");
    } catch (IOException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      if (root instanceof SSLException || root instanceof java.security.cert.CertificateException) {
        throw new RemoteFileException(
            Reason.TLS,
            "The TLS handshake with "
                + host(uri)
                + " failed; if it uses a private CA, add the CA certificate");
      }
      String why =
          root instanceof java.nio.channels.UnresolvedAddressException
                  || root instanceof java.net.UnknownHostException
              ? "the host name does not resolve"
              : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      throw new RemoteFileException(
          Reason.UNREACHABLE, "Could not reach " + host(uri) + ": " + why);
    }
    try (InputStream body = response.body()) {
      int status = response.statusCode();
      if (status == 401 || status == 403) {
        throw new RemoteFileException(
            Reason.REFUSED_CREDENTIALS,
            host(uri)
                + " answered "
                + status
                + " for "
                + uri.getPath()
                + (credentials
                    ? ": it refused the credentials"
                    : ": it needs credentials (username and password, or a token)"));
      }
      if (status == 304 && known.present()) {
        return new Download(null, null, null, 0, null, known, true);
      }
      if (status == 404) {
        throw new RemoteFileException(
            Reason.NOT_FOUND, host(uri) + " has nothing at " + uri.getPath() + " (404)");
      }
      if (status != 200) {
        throw new RemoteFileException(
            Reason.HTTP_STATUS, host(uri) + " answered " + status + " for " + uri.getPath());
      }
      long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > maxBytes) {
        throw tooLarge(uri, maxBytes);
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.toLowerCase(Locale.ROOT).contains("html")) {
        throw html(uri);
      }
      MessageDigest sha = sha256();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      boolean first = true;
      try (OutputStream out = sink.open()) {
        int n;
        while ((n = body.read(buffer)) > 0) {
          if (first && looksLikeHtml(buffer, n)) {
            throw html(uri);
          }
          first = false;
          size += n;
          if (size > maxBytes) {
            throw tooLarge(uri, maxBytes);
          }
          sha.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
        out.flush();
        IndexValidators validators =
            new IndexValidators(
                response.headers().firstValue("ETag").orElse(null),
                response.headers().firstValue("Last-Modified").orElse(null));
        return result.of(HexFormat.of().formatHex(sha.digest()), size, type, validators, out);
      }
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new RemoteFileException(Reason.TIMEOUT, host(uri) + " was too slow; gave up");
    }
  }

  private static boolean looksLikeHtml(byte[] buffer, int n) {
    int i = 0;
    while (i < n
        && (buffer[i] == ' '
            || buffer[i] == '\n'
            || buffer[i] == '\r'
            || buffer[i] == '\t'
            || (buffer[i] & 0xff) == 0xEF
            || (buffer[i] & 0xff) == 0xBB
            || (buffer[i] & 0xff) == 0xBF)) {
      i++;
    }
    if (i >= n || buffer[i] != '<') {
      return false;
    }
    String head =
        new String(buffer, i, Math.min(n - i, 64), StandardCharsets.US_ASCII)
            .toLowerCase(Locale.ROOT);
    return head.startsWith("<!doctype html")
        || head.startsWith("<html")
        || head.startsWith("<head")
        || head.startsWith("<body")
        || head.startsWith("<!--")
        || head.startsWith("<?xml");
  }

  private RemoteFileException tooLarge(URI uri, long maxBytes) {
    return new RemoteFileException(
        Reason.TOO_LARGE,
        uri.getPath() + " on " + host(uri) + " is larger than the limit of " + mib(maxBytes));
  }

  private static RemoteFileException html(URI uri) {
    return new RemoteFileException(
        Reason.HTML,
        host(uri)
            + " answered with an HTML page instead of "
            + uri.getPath()
            + "; check that the URL is the chart repository itself, not its web page");
  }

  static String mib(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
  }

  private static String host(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  private static String authorization(Access access) {
    if ("bearer".equals(access.kind())) {
      return "Bearer " + access.secret();
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (access.username() + ":" + access.secret()).getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private HttpClient client(String caPem, boolean followRedirects) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(
                followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
    if (caPem != null) {
      builder.sslContext(trusting(caPem));
    }
    return builder.build();
  }

  /** An SSL context that trusts exactly the repository's CA certificates. */
  static SSLContext trusting(String caPem) {
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("no certificate in the PEM text");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("the CA certificate cannot be read: " + e.getMessage(), e);
    }
  }
}
