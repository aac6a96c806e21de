package dev.runnel.gateway.login;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the tests need of a web browser: follows redirects, keeps cookies per host, fills in and
 * posts Keycloak's login form, and sends the CSRF header the SPA would send.
 */
final class Browser {
  private static final Pattern FORM_ACTION =
      Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
  private static final Pattern ANY_FORM_ACTION =
      Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

  private static final Pattern SECURE_ATTRIBUTE =
      Pattern.compile(";\\s*Secure(?=;|$)", Pattern.CASE_INSENSITIVE);

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new LoopbackIsSecure(cookies))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String gateway;

  Browser(String gateway) {
    this.gateway = gateway;
  }

  /** Opens {@code path} on the gateway and follows where it leads. */
  HttpResponse<String> open(String path) {
    return send(HttpRequest.newBuilder(URI.create(gateway + path)).GET());
  }

  /**
   * The whole browser login: {@code /login}, Keycloak's form filled in and posted, back to the
   * gateway. Returns the last page, where the gateway sent the browser after the login.
   */
  HttpResponse<String> logIn(String username, String password) {
    HttpResponse<String> form = open("/login");
    if (form.statusCode() != 200) {
      throw new AssertionError("no login form: HTTP " + form.statusCode() + " " + form.body());
    }
    return submitLoginForm(form, username, password);
  }

  /** Fills in and posts Keycloak's login form found on {@code page}. */
  HttpResponse<String> submitLoginForm(
      HttpResponse<String> page, String username, String password) {
    return post(
        page.uri().resolve(loginFormAction(page)),
        Map.of("username", username, "password", password, "credentialId", ""));
  }

  /** The action of Keycloak's login form on a page, or an error naming what the page was. */
  static String loginFormAction(HttpResponse<String> page) {
    Matcher m = FORM_ACTION.matcher(page.body());
    if (!m.find()) {
      m = ANY_FORM_ACTION.matcher(page.body());
      if (!m.find()) {
        throw new AssertionError("no form on " + page.uri() + ":\n" + page.body());
      }
    }
    return m.group(1).replace("&amp;", "&");
  }

  HttpResponse<String> post(URI uri, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A request to the gateway as the SPA makes it: session cookie, and CSRF header if asked. */
  HttpResponse<String> api(String method, String path, String json, boolean withCsrfHeader) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway + path))
            .header("Accept", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (withCsrfHeader) {
      request.header("X-XSRF-TOKEN", cookie("XSRF-TOKEN"));
    }
    return send(request);
  }

  /** The value of a cookie the browser holds for the gateway's host. */
  String cookie(String name) {
    return cookies.getCookieStore().get(URI.create(gateway)).stream()
        .filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("the browser has no cookie " + name));
  }

  boolean hasCookie(String name) {
    return cookies.getCookieStore().get(URI.create(gateway)).stream()
        .anyMatch(c -> c.getName().equals(name));
  }

  /**
   * Browsers treat {@code http://127.0.0.1} as a secure context and send {@code Secure} cookies to
   * it (Keycloak marks its login cookies so); Java's cookie manager does not, so this drops the
   * attribute on the way in.
   */
  private static final class LoopbackIsSecure extends java.net.CookieHandler {
    private final CookieManager delegate;

    LoopbackIsSecure(CookieManager delegate) {
      this.delegate = delegate;
    }

    @Override
    public Map<String, java.util.List<String>> get(
        URI uri, Map<String, java.util.List<String>> requestHeaders) throws IOException {
      return delegate.get(uri, requestHeaders);
    }

    @Override
    public void put(URI uri, Map<String, java.util.List<String>> responseHeaders)
        throws IOException {
      Map<String, java.util.List<String>> relaxed = new java.util.HashMap<>();
      responseHeaders.forEach(
          (name, values) ->
              relaxed.put(
                  name,
                  name != null && name.equalsIgnoreCase("Set-Cookie")
                      ? values.stream()
                          .map(v -> SECURE_ATTRIBUTE.matcher(v).replaceAll(""))
                          .toList()
                      : values));
      delegate.put(uri, relaxed);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
