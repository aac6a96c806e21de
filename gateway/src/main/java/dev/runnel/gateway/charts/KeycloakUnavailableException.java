package dev.runnel.gateway.charts;

import org.springframework.security.authentication.AuthenticationServiceException;

/**
 * Keycloak could not check the credentials: it did not answer in time, answered with an error of
 * its own, or the breaker keeps the gateway from calling it. The caller gets a 503 problem, not a
 * 401: their credentials may well be right.
 */
final class KeycloakUnavailableException extends AuthenticationServiceException {

  KeycloakUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
